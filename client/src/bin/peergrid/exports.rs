//! `peergrid export`: the events of a range of finalized blocks as CSV, for regulators.

use crate::{csv, Range};
use peergrid_client::{
	api::peergrid::{market, readings},
	events,
	node::{decode, Event, Node},
};

/// For each event of the blocks of `range`, the row `row` makes of it (if any), after the
/// block's number and time; written as CSV with `header`. An event of the kind exported that
/// does not decode fails the export: an audit never silently leaves a row out.
async fn export(
	node: &Node,
	range: &Range,
	(what, header): (&str, &str),
	row: impl Fn(&Event) -> Result<Option<Vec<String>>, String>,
) -> Result<(), String> {
	let last = match range.to_block {
		Some(n) => n,
		None => node.finalized_number().await?,
	};
	let mut rows = Vec::new();
	let blocks = range.from_block..=last;
	let progress = crate::progress::bar(blocks.clone().count(), "blocks");
	for number in blocks {
		let hash = node.hash_of(number).await?.ok_or_else(|| format!("no block #{number} yet"))?;
		let time = node.time_ms_at(hash).await? / 1000;
		for event in node.events_at(hash).await? {
			if let Some(row) = row(&event)? {
				rows.push([vec![number.to_string(), time.to_string()], row].concat());
			}
		}
		progress.inc(1);
	}
	progress.finish_and_clear();
	eprintln!("{} {what}", rows.len());
	csv::write(range.out.as_deref(), header, &rows)
}

pub async fn export_trades(node: &Node, range: &Range) -> Result<(), String> {
	let decimals = node.decimals()?;
	let grid = |amount| decimals.show(amount);
	let header = "block,timestamp,buy_order,sell_order,buyer,seller,buyer_zone,seller_zone,\
		amount_wh,price_grid_per_kwh,fee_grid_per_kwh,fee_to";
	export(node, range, ("trades", header), |event| {
		let Some(t) = decode::<market::events::Trade>(event)? else { return Ok(None) };
		Ok(Some(vec![
			t.buy_order.to_string(),
			t.sell_order.to_string(),
			t.buyer.to_string(),
			t.seller.to_string(),
			t.buyer_zone.to_string(),
			t.seller_zone.to_string(),
			t.amount.to_string(),
			grid(t.price),
			grid(t.fee),
			t.fee_to.to_string(),
		]))
	})
	.await
}

pub async fn export_readings(node: &Node, range: &Range) -> Result<(), String> {
	let header = "block,timestamp,meter,interval,oracle,status,owner,imported_wh,exported_wh,\
		consumed_wh,credits_minted_wh";
	export(node, range, ("readings", header), |event| {
		if let Some(r) = decode::<readings::events::ReadingAccepted>(event)? {
			return Ok(Some(vec![
				r.meter.to_string(),
				r.interval.to_string(),
				r.oracle.to_string(),
				"accepted".into(),
				r.owner.to_string(),
				r.registers.imported_wh.to_string(),
				r.registers.exported_wh.to_string(),
				r.consumed_wh.to_string(),
				r.credits_minted.to_string(),
			]));
		}
		let Some(r) = decode::<readings::events::ReadingRejected>(event)? else { return Ok(None) };
		let name = events::error_name(&node.api.metadata(), &r.error);
		let mut row = vec![
			r.meter.to_string(),
			r.interval.to_string(),
			r.oracle.to_string(),
			format!("rejected {name}"),
		];
		row.resize(9, String::new());
		Ok(Some(row))
	})
	.await
}
