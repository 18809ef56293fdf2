//! `peergrid export`: the events of a range of finalized blocks as CSV, for regulators.

use crate::{commands::grid, csv, node::Node, Range};
use peergrid_runtime::{AccountId, RuntimeEvent};
use sp_core::{crypto::Ss58Codec, H256};

/// The blocks of `range`, with their hashes and times.
async fn blocks_of(node: &Node, range: &Range) -> Result<Vec<(u32, H256, u64)>, String> {
	let last = match range.to_block {
		Some(n) => n,
		None => node.finalized_number().await?,
	};
	let mut blocks = Vec::new();
	for number in range.from_block..=last {
		let hash = node.hash_of(number).await?.ok_or_else(|| format!("no block #{number} yet"))?;
		blocks.push((number, hash, node.time_at(hash).await?));
	}
	Ok(blocks)
}

fn ss58(who: &AccountId) -> String {
	who.to_ss58check()
}

pub async fn export_trades(node: &Node, range: &Range) -> Result<(), String> {
	let mut rows = Vec::new();
	for (number, hash, time) in blocks_of(node, range).await? {
		for event in node.events_at(hash).await? {
			if let RuntimeEvent::Market(pallet_market::Event::Trade {
				buy_order,
				sell_order,
				buyer,
				seller,
				seller_zone,
				buyer_zone,
				amount,
				price,
				fee,
				fee_to,
			}) = event
			{
				rows.push(vec![
					number.to_string(),
					time.to_string(),
					buy_order.to_string(),
					sell_order.to_string(),
					ss58(&buyer),
					ss58(&seller),
					buyer_zone.to_string(),
					seller_zone.to_string(),
					amount.to_string(),
					grid(price),
					grid(fee),
					ss58(&fee_to),
				]);
			}
		}
	}
	eprintln!("{} trades", rows.len());
	csv::write(
		range.out.as_deref(),
		"block,timestamp,buy_order,sell_order,buyer,seller,buyer_zone,seller_zone,amount_wh,\
		 price_grid_per_kwh,fee_grid_per_kwh,fee_to",
		&rows,
	)
}

pub async fn export_readings(node: &Node, range: &Range) -> Result<(), String> {
	let mut rows = Vec::new();
	for (number, hash, time) in blocks_of(node, range).await? {
		for event in node.events_at(hash).await? {
			let row = match event {
				RuntimeEvent::Readings(pallet_readings::Event::ReadingAccepted {
					meter,
					interval,
					oracle,
					owner,
					registers,
					consumed_wh,
					credits_minted,
				}) => vec![
					meter.to_string(),
					interval.to_string(),
					ss58(&oracle),
					"accepted".into(),
					ss58(&owner),
					registers.imported_wh.to_string(),
					registers.exported_wh.to_string(),
					consumed_wh.to_string(),
					credits_minted.to_string(),
				],
				RuntimeEvent::Readings(pallet_readings::Event::ReadingRejected {
					meter,
					interval,
					oracle,
					error,
				}) => {
					let reason = node.describe(&error);
					let name = reason.split(':').next().unwrap_or_default().to_string();
					let empty = String::new;
					vec![
						meter.to_string(),
						interval.to_string(),
						ss58(&oracle),
						format!("rejected {name}"),
						empty(),
						empty(),
						empty(),
						empty(),
						empty(),
					]
				}
				_ => continue,
			};
			rows.push([vec![number.to_string(), time.to_string()], row].concat());
		}
	}
	eprintln!("{} readings", rows.len());
	csv::write(
		range.out.as_deref(),
		"block,timestamp,meter,interval,oracle,status,owner,imported_wh,exported_wh,consumed_wh,\
		 credits_minted_wh",
		&rows,
	)
}
