//! What each command does.

use crate::{
	csv,
	exports::{export_readings, export_trades},
	keys,
	node::{Included, Node},
	Cli, Command, CreditsCommand, ExportCommand, KeyCommand, Kind, MeterCommand, MotionCommand,
	OracleCommand, OrderCommand, QueryCommand, ReadingsCommand, SideArg, Via, ZoneCommand,
};
use codec::Encode;
use frame_support::dispatch::GetDispatchInfo;
use pallet_market::Side;
use peergrid_primitives::MeterKind;
use peergrid_runtime::{AccountId, Balance, RuntimeCall, RuntimeEvent, UNIT};
use serde_json::{json, Value};
use sp_core::{sr25519, H256};

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
	match cli.command {
		Command::Key(_) => Ok(()),
		Command::Load { meters, intervals, orders, transfers, zones } => {
			let plan = crate::load::Plan { meters, intervals, orders, transfers, zones };
			crate::load::run(&node, signer()?, plan).await
		}
		Command::Zone(ZoneCommand::Create { name, operator, via }) => {
			let call = RuntimeCall::Meters(pallet_meters::Call::create_zone {
				name: bounded(name.into_bytes(), "zone name")?,
				operator: keys::account(&operator)?,
			});
			admin(&node, &signer()?, call, via).await
		}
		Command::Oracle(OracleCommand::Authorize { oracle, zones, via }) => {
			let call = RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
				oracle: keys::account(&oracle)?,
				zones: bounded(zones, "zone list")?,
			});
			admin(&node, &signer()?, call, via).await
		}
		Command::Meter(MeterCommand::Register { zone, external_id, owner, kind, capacity_w }) => {
			let call = RuntimeCall::Meters(pallet_meters::Call::register_meter {
				zone,
				external_id: bounded(external_id.into_bytes(), "external id")?,
				owner: keys::account(&owner)?,
				kind: match kind {
					Kind::Consumption => MeterKind::Consumption,
					Kind::Production => MeterKind::Production,
					Kind::Bidirectional => MeterKind::Bidirectional,
				},
				capacity_w,
				baseline: None,
			});
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Readings(ReadingsCommand::Submit { csv, batch, pay }) => {
			let rows = csv::read_readings(&csv)?;
			crate::oracle::submit_readings(&node, &signer()?, &rows, batch, pay).await
		}
		Command::Order(OrderCommand::Place { side, zone, amount_wh, price, expires_at }) => {
			let call = RuntimeCall::Market(pallet_market::Call::place_order {
				side: match side {
					SideArg::Buy => Side::Buy,
					SideArg::Sell => Side::Sell,
				},
				zone,
				amount: amount_wh,
				price: parse_grid(&price)?,
				expires_at,
			});
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Order(OrderCommand::Cancel { order }) => {
			let call = RuntimeCall::Market(pallet_market::Call::cancel_order { order });
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Credits(CreditsCommand::Transfer { to, amount_wh }) => {
			let call = RuntimeCall::Credits(pallet_credits::Call::transfer {
				dest: keys::account(&to)?,
				amount: amount_wh,
			});
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Credits(CreditsCommand::Retire { amount_wh }) => {
			let call = RuntimeCall::Credits(pallet_credits::Call::retire { amount: amount_wh });
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Motion(MotionCommand::Vote { hash, index, nay }) => {
			let call = RuntimeCall::Consortium(pallet_collective::Call::vote {
				proposal: parse_hash(&hash)?,
				index,
				approve: !nay,
			});
			report(&node, node.send(&signer()?, call).await?);
			Ok(())
		}
		Command::Motion(MotionCommand::Close { hash, index }) => {
			let hash = parse_hash(&hash)?;
			let proposal =
				node.proposal(hash).await?.ok_or_else(|| format!("no open motion {hash:?}"))?;
			let call = RuntimeCall::Consortium(pallet_collective::Call::close {
				proposal_hash: hash,
				index,
				proposal_weight_bound: proposal.get_dispatch_info().call_weight,
				length_bound: proposal.encoded_size() as u32,
			});
			let included = node.send(&signer()?, call).await?;
			check_executed(&node, &included)?;
			report(&node, included);
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
				QueryCommand::Trades { zone, limit } => {
					("energy_recentTrades", vec![json!(zone), json!(limit)])
				}
				QueryCommand::Totals { zone, from, to } => {
					("energy_zoneTotals", vec![json!(zone), json!(from), json!(to)])
				}
			};
			let answer = node.call(method, params).await?;
			println!("{}", serde_json::to_string_pretty(&answer).map_err(|e| e.to_string())?);
			Ok(())
		}
		Command::Summary { accounts } => summary(&node, &accounts).await,
		Command::Watch { pallets, blocks } => watch(&node, &pallets, blocks).await,
		Command::Export(ExportCommand::Trades(range)) => export_trades(&node, &range).await,
		Command::Export(ExportCommand::Readings(range)) => export_readings(&node, &range).await,
	}
}

fn bounded<T, S: sp_core::Get<u32>>(
	items: Vec<T>,
	what: &str,
) -> Result<sp_runtime::BoundedVec<T, S>, String> {
	let len = items.len();
	items.try_into().map_err(|_| format!("the {what} is too long ({len}, at most {})", S::get()))
}

fn parse_hash(hash: &str) -> Result<H256, String> {
	let bytes = sp_core::bytes::from_hex(hash).map_err(|_| format!("{hash:?} is not hex"))?;
	(bytes.len() == 32)
		.then(|| H256::from_slice(&bytes))
		.ok_or_else(|| format!("{hash:?} is not a 32-byte hash"))
}

/// A price or amount of GRID written as a decimal, e.g. `0.15`, in the chain's units (12
/// decimals).
pub fn parse_grid(text: &str) -> Result<Balance, String> {
	let bad = || format!("{text:?} is not an amount of GRID such as 0.15");
	let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
	if fraction.len() > 12 || (whole.is_empty() && fraction.is_empty()) {
		return Err(bad());
	}
	let whole: Balance = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
	let fraction: Balance = if fraction.is_empty() {
		0
	} else {
		format!("{fraction:0<12}").parse().map_err(|_| bad())?
	};
	whole.checked_mul(UNIT).and_then(|w| w.checked_add(fraction)).ok_or_else(bad)
}

/// An amount of the chain's units as GRID, e.g. `0.15`.
pub fn grid(amount: Balance) -> String {
	let fraction = format!("{:012}", amount % UNIT);
	let fraction = fraction.trim_end_matches('0');
	if fraction.is_empty() {
		format!("{}", amount / UNIT)
	} else {
		format!("{}.{fraction}", amount / UNIT)
	}
}

/// Prints where a transaction went and what it did.
fn report(node: &Node, included: Included) {
	println!("in block #{} ({:?})", included.block, included.hash);
	for event in &included.events {
		if let Some(line) = describe_event(node, event) {
			println!("  {line}");
		}
	}
}

/// An event worth showing, in words; `None` for the bookkeeping of fees and dispatch.
fn describe_event(node: &Node, event: &RuntimeEvent) -> Option<String> {
	use pallet_readings::Event as Readings;
	Some(match event {
		RuntimeEvent::System(_)
		| RuntimeEvent::TransactionPayment(_)
		| RuntimeEvent::Balances(_) => return None,
		RuntimeEvent::Readings(Readings::ReadingRejected { meter, interval, error, .. }) => {
			format!(
				"Readings.ReadingRejected meter {meter} interval {interval}: {}",
				node.describe(error)
			)
		}
		RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Err(error) }) => {
			format!("Sudo.Sudid failed: {}", node.describe(error))
		}
		RuntimeEvent::Consortium(pallet_collective::Event::Executed {
			result: Err(error), ..
		}) => format!("Consortium.Executed failed: {}", node.describe(error)),
		other => pretty(&format!("{other:?}")),
	})
}

/// An event's debug text made readable: `Pallet.Event { .. }`, accounts by development name
/// or SS58 address, and byte strings that are text as text.
fn pretty(debug: &str) -> String {
	let mut text = match debug.split_once("(Event::") {
		Some((pallet, rest)) => format!("{pallet}.{}", rest.strip_suffix(')').unwrap_or(rest)),
		None => debug.to_string(),
	};
	// Accounts print as `<64 hex digits> (<8 SS58 characters>...)`.
	let mut out = String::with_capacity(text.len());
	let mut rest = text.as_str();
	while let Some(at) = rest.find("...)") {
		let (before, after) = rest.split_at(at + 4);
		let account = before
			.len()
			.checked_sub(64 + 2 + 8 + 4)
			.and_then(|start| before.get(start..start + 64).map(|hex| (start, hex)))
			.and_then(|(start, hex)| {
				let bytes = sp_core::bytes::from_hex(hex).ok()?;
				let id: [u8; 32] = bytes.try_into().ok()?;
				Some((start, keys::show(&AccountId::from(id))))
			});
		match account {
			Some((start, name)) => {
				out.push_str(&before[..start]);
				out.push_str(&name);
			}
			None => out.push_str(before),
		}
		rest = after;
	}
	out.push_str(rest);
	text = out;
	// Byte strings print as `BoundedVec([78, 66, 72], 64)`.
	let mut out = String::with_capacity(text.len());
	let mut rest = text.as_str();
	while let Some(at) = rest.find("BoundedVec([") {
		out.push_str(&rest[..at]);
		let inner = &rest[at + 12..];
		let Some(end) = inner.find(']') else { break };
		let bytes: Option<Vec<u8>> =
			inner[..end].split(", ").map(|b| b.parse::<u8>().ok()).collect();
		let close = inner[end..].find(')').map_or(inner.len(), |c| end + c + 1);
		match bytes
			.filter(|b| !b.is_empty() && b.iter().all(|c| c.is_ascii_graphic() || *c == b' '))
		{
			Some(bytes) => out.push_str(&format!("{:?}", String::from_utf8_lossy(&bytes))),
			None => out.push_str(&rest[at..at + 12 + close]),
		}
		rest = &inner[close..];
	}
	out.push_str(rest);
	out
}

/// Makes an administrative call, by sudo or by a motion of the consortium.
async fn admin(
	node: &Node,
	signer: &sr25519::Pair,
	call: RuntimeCall,
	via: Via,
) -> Result<(), String> {
	match via {
		Via::Sudo => {
			let sudo = RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
			let included = node.send(signer, sudo).await?;
			for event in &included.events {
				if let RuntimeEvent::Sudo(pallet_sudo::Event::Sudid { sudo_result: Err(e) }) = event
				{
					return Err(format!("the call failed: {}", node.describe(e)));
				}
			}
			report(node, included);
			Ok(())
		}
		Via::Motion => {
			let members = node.members().await?.len() as u32;
			// Two thirds of the members, rounded up (`ConsortiumMajority`).
			let threshold = (2 * members).div_ceil(3).max(1);
			let length_bound = call.encoded_size() as u32;
			let propose = RuntimeCall::Consortium(pallet_collective::Call::propose {
				threshold,
				proposal: Box::new(call),
				length_bound,
			});
			let included = node.send(signer, propose).await?;
			check_executed(node, &included)?;
			let proposed = included.events.iter().find_map(|e| match e {
				RuntimeEvent::Consortium(pallet_collective::Event::Proposed {
					proposal_index,
					proposal_hash,
					..
				}) => Some((*proposal_index, *proposal_hash)),
				_ => None,
			});
			report(node, included);
			let Some((index, hash)) = proposed else { return Ok(()) };
			let vote = RuntimeCall::Consortium(pallet_collective::Call::vote {
				proposal: hash,
				index,
				approve: true,
			});
			report(node, node.send(signer, vote).await?);
			println!(
				"motion {index} ({hash:?}) needs {threshold} of {members} members: each votes with\n  \
				 peergrid motion vote {hash:?} {index}\nand then anyone closes it with\n  \
				 peergrid motion close {hash:?} {index}"
			);
			Ok(())
		}
	}
}

/// Fails if the events say a motion was executed and its call failed.
fn check_executed(node: &Node, included: &Included) -> Result<(), String> {
	for event in &included.events {
		if let RuntimeEvent::Consortium(pallet_collective::Event::Executed {
			result: Err(e), ..
		}) = event
		{
			return Err(format!("the motion passed but its call failed: {}", node.describe(e)));
		}
	}
	Ok(())
}

/// Prints a table of the accounts' energy.
async fn summary(node: &Node, accounts: &[String]) -> Result<(), String> {
	let kwh = |v: &Value, key: &str| {
		format!("{:.3}", v[key].as_u64().unwrap_or_default() as f64 / 1000.0)
	};
	let grid_of = |v: &Value, key: &str| {
		v[key].as_str().and_then(|s| s.parse::<Balance>().ok()).map(grid).unwrap_or_default()
	};
	println!(
		"{:<10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
		"account",
		"produced",
		"sold",
		"received",
		"bought",
		"paid",
		"retired",
		"consumed",
		"uncovered",
		"credits"
	);
	println!(
		"{:<10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10}",
		"", "kWh", "kWh", "GRID", "kWh", "GRID", "kWh", "kWh", "kWh", "kWh"
	);
	for name in accounts {
		let who = keys::account(name)?;
		let p = node.position(&who).await?;
		let credits =
			p["freeWh"].as_u64().unwrap_or_default() + p["heldWh"].as_u64().unwrap_or_default();
		println!(
			"{:<10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10} {:>10.3}",
			keys::show(&who),
			kwh(&p, "mintedWh"),
			kwh(&p, "soldWh"),
			grid_of(&p, "received"),
			kwh(&p, "boughtWh"),
			grid_of(&p, "paid"),
			kwh(&p, "retiredWh"),
			kwh(&p, "consumedWh"),
			kwh(&p, "uncoveredWh"),
			credits as f64 / 1000.0
		);
	}
	Ok(())
}

/// Prints the events of each finalized block as it is finalized.
async fn watch(node: &Node, pallets: &[String], blocks: Option<u32>) -> Result<(), String> {
	let mut finalized =
		node.api.blocks().subscribe_finalized().await.map_err(|e| format!("subscribe: {e}"))?;
	let mut seen = 0u32;
	while let Some(block) = finalized.next().await {
		let block = block.map_err(|e| e.to_string())?;
		let number = block.number();
		for event in node.events_at(H256(block.hash().0)).await? {
			let Some(line) = describe_event(node, &event) else { continue };
			let pallet = line.split(['(', '.', ' ']).next().unwrap_or_default();
			if pallets.is_empty() || pallets.iter().any(|p| p.eq_ignore_ascii_case(pallet)) {
				println!("#{number} {line}");
			}
		}
		seen += 1;
		if blocks.is_some_and(|n| seen >= n) {
			break;
		}
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::crypto::Ss58Codec;

	#[test]
	fn events_read_as_names_accounts_and_text() {
		let bob = sp_keyring::Sr25519Keyring::Bob.to_account_id();
		let event = RuntimeEvent::Meters(pallet_meters::Event::ZoneCreated {
			zone: 2,
			name: b"East".to_vec().try_into().expect("short"),
			operator: bob,
		});
		assert_eq!(
			pretty(&format!("{event:?}")),
			"Meters.ZoneCreated { zone: 2, name: \"East\", operator: bob }"
		);
		let stranger = AccountId::from([7u8; 32]);
		let event = RuntimeEvent::Credits(pallet_credits::Event::Transferred {
			from: stranger.clone(),
			to: stranger.clone(),
			amount: 5,
		});
		let text = pretty(&format!("{event:?}"));
		assert_eq!(
			text,
			format!(
				"Credits.Transferred {{ from: {0}, to: {0}, amount: 5 }}",
				stranger.to_ss58check()
			)
		);
	}

	#[test]
	fn grid_amounts_parse_and_print_as_decimals() {
		assert_eq!(parse_grid("0.15"), Ok(150 * peergrid_runtime::MILLI_UNIT));
		assert_eq!(parse_grid("2"), Ok(2 * UNIT));
		assert_eq!(parse_grid(".5"), Ok(UNIT / 2));
		assert_eq!(parse_grid("0.000000000001"), Ok(1));
		assert!(parse_grid("0.0000000000001").is_err(), "finer than the chain's unit");
		assert!(parse_grid("-1").is_err());
		assert!(parse_grid("1,5").is_err());
		assert!(parse_grid("").is_err());
		assert_eq!(grid(150 * peergrid_runtime::MILLI_UNIT), "0.15");
		assert_eq!(grid(3 * UNIT), "3");
		assert_eq!(grid(1), "0.000000000001");
	}
}
