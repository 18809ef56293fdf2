//! What each command does.

use crate::{
	admin, csv,
	exports::{export_readings, export_trades},
	keys, show, Cli, Command, CreditsCommand, ExportCommand, KeyCommand, Kind, MeterCommand,
	MotionCommand, OracleCommand, OrderCommand, QueryCommand, ReadingsCommand, SideArg,
	ZoneCommand,
};
use peergrid_client::{
	api::{peergrid, runtime_types, Hash, RuntimeCall},
	motions::Motion,
	node::Node,
	readings::Signing,
};
use peergrid_primitives::{MAX_EXTERNAL_ID_LEN, MAX_ZONE_NAME_LEN};
use runtime_types::{
	bounded_collections::bounded_vec::BoundedVec, pallet_market::types::Side,
	peergrid_primitives::MeterKind,
};
use serde_json::json;
use sp_core::sr25519;

pub async fn run(cli: Cli) -> Result<(), String> {
	let signer_spec = cli.signer.clone().or_else(|| std::env::var("PEERGRID_SIGNER").ok());
	let signer = || -> Result<sr25519::Pair, String> {
		keys::signer(signer_spec.as_deref().ok_or(
			"this command signs: give --signer dev:NAME or --signer file:PATH (or PEERGRID_SIGNER)",
		)?)
	};
	match cli.command {
		Command::Key(KeyCommand::New { file }) => {
			let account = keys::new_key_file(&file)?;
			println!("{account}");
			eprintln!("the secret phrase is in {}: back it up, and never share it", file.display());
			return Ok(());
		}
		Command::Key(KeyCommand::Show) => {
			let pair = signer()?;
			println!("{}", keys::account_of(&pair));
			return Ok(());
		}
		_ => {}
	}
	let url = cli
		.url
		.clone()
		.or_else(|| std::env::var("PEERGRID_URL").ok())
		.unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let node = Node::connect(&url, cli.finalized).await?;
	let tx = peergrid::tx();
	match cli.command {
		Command::Key(_) => Ok(()),
		Command::Load {
			meters,
			intervals,
			orders,
			auction_orders,
			transfers,
			zones,
			connections,
		} => {
			let plan =
				crate::load::Plan { meters, intervals, orders, auction_orders, transfers, zones };
			let mut senders = Vec::new();
			for _ in 0..connections {
				senders.push(Node::connect(&url, false).await?);
			}
			crate::load::run(&node, &senders, signer()?, plan).await
		}
		Command::Zone(ZoneCommand::Create { name, operator, via }) => {
			let call = runtime_types::pallet_meters::pallet::Call::create_zone {
				name: bounded(name.into_bytes(), MAX_ZONE_NAME_LEN, "zone name")?,
				operator: keys::account(&operator)?,
			};
			admin::make(&node, &signer()?, RuntimeCall::Meters(call), via).await
		}
		Command::Oracle(OracleCommand::Authorize { oracle, zones, via }) => {
			let max = node.constant(&peergrid::constants().meters().max_zones_per_oracle())?;
			let call = runtime_types::pallet_meters::pallet::Call::authorize_oracle {
				oracle: keys::account(&oracle)?,
				zones: bounded(zones, max, "zone list")?,
			};
			admin::make(&node, &signer()?, RuntimeCall::Meters(call), via).await
		}
		Command::Meter(MeterCommand::Register { zone, external_id, owner, kind, capacity_w }) => {
			let call = tx.meters().register_meter(
				zone,
				bounded(external_id.into_bytes(), MAX_EXTERNAL_ID_LEN, "external id")?,
				keys::account(&owner)?,
				match kind {
					Kind::Consumption => MeterKind::Consumption,
					Kind::Production => MeterKind::Production,
					Kind::Bidirectional => MeterKind::Bidirectional,
				},
				capacity_w,
				None,
			);
			show::report(&node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		Command::Readings(ReadingsCommand::Submit { csv, batch, pay, per_reading }) => {
			let rows = csv::read_readings(&csv)?;
			let signing = if per_reading { Signing::Reading } else { Signing::Batch };
			crate::oracle::submit_readings(&node, &signer()?, &rows, (batch, signing), pay).await
		}
		Command::Order(OrderCommand::Place { side, zone, amount_wh, price, expires_at }) => {
			let side = match side {
				SideArg::Buy => Side::Buy,
				SideArg::Sell => Side::Sell,
			};
			let price = node.decimals()?.parse(&price)?;
			let call = tx.market().place_order(side, zone, amount_wh, price, expires_at);
			show::report(&node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		Command::Order(OrderCommand::Cancel { order }) => {
			let call = tx.market().cancel_order(order);
			show::report(&node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		Command::Auction(command) => crate::auction::run(&node, signer, command).await,
		Command::Credits(CreditsCommand::Transfer { to, amount_wh }) => {
			let call = tx.credits().transfer(keys::account(&to)?, amount_wh);
			show::report(&node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		Command::Credits(CreditsCommand::Retire { amount_wh }) => {
			let call = tx.credits().retire(amount_wh);
			show::report(&node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		Command::Motion(MotionCommand::Vote { hash, index, nay }) => {
			let motion = Motion { index, hash: parse_hash(&hash)? };
			show::report(&node, node.vote(&signer()?, motion, !nay).await?);
			Ok(())
		}
		Command::Motion(MotionCommand::Close { hash, index }) => {
			let motion = Motion { index, hash: parse_hash(&hash)? };
			show::report(&node, node.close(&signer()?, motion).await?);
			Ok(())
		}
		Command::Query(query) => {
			let (method, params) = match query {
				// `energy_meter` takes a number as a chain number, a string as an external id.
				QueryCommand::Meter { id, external_id } => {
					("energy_meter", vec![id.map_or_else(|| json!(external_id), |id| json!(id))])
				}
				QueryCommand::Account { account } => {
					let who = match account {
						Some(name) => keys::account(&name)?,
						None => keys::account_of(&signer()?),
					};
					("energy_account", vec![json!(who.to_string())])
				}
				QueryCommand::Book { zone } => ("energy_orderBook", vec![json!(zone)]),
			};
			show::print_json(&node.call(method, params).await?)
		}
		Command::Summary { accounts } => show::summary(&node, &accounts).await,
		Command::Watch { pallets, blocks } => show::watch(&node, &pallets, blocks).await,
		Command::Export(ExportCommand::Trades(range)) => export_trades(&node, &range).await,
		Command::Export(ExportCommand::Readings(range)) => export_readings(&node, &range).await,
	}
}

/// `items` as a bounded vector of at most `max`, or why not.
pub fn bounded<T>(items: Vec<T>, max: u32, what: &str) -> Result<BoundedVec<T>, String> {
	if items.len() > max as usize {
		return Err(format!("the {what} is too long ({}, at most {max})", items.len()));
	}
	Ok(BoundedVec(items))
}

fn parse_hash(hash: &str) -> Result<Hash, String> {
	let bytes = sp_core::bytes::from_hex(hash).map_err(|_| format!("{hash:?} is not hex"))?;
	<[u8; 32]>::try_from(bytes)
		.map(Hash::from)
		.map_err(|_| format!("{hash:?} is not a 32-byte hash"))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn lists_and_hashes_are_checked_before_anything_is_signed() {
		assert_eq!(bounded(vec![1u8; 64], 64, "zone name").map(|b| b.0.len()), Ok(64));
		let long = bounded(vec![1u8; 65], 64, "zone name").map(|b| b.0.len());
		assert_eq!(long, Err("the zone name is too long (65, at most 64)".into()));
		let hash = format!("0x{}", "ab".repeat(32));
		assert_eq!(parse_hash(&hash), Ok(Hash::repeat_byte(0xab)));
		assert!(parse_hash("0xabcd").unwrap_err().contains("32-byte"));
		assert!(parse_hash("motion 3").unwrap_err().contains("not hex"));
	}
}
