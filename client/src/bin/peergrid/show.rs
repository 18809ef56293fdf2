//! What the client prints of the chain: a transaction's block and events, a table of accounts'
//! energy, the events of blocks as they are finalized.

use crate::keys;
use peergrid_client::node::{Event, Included, Node};
use serde_json::Value;

/// Prints where a transaction went and what it did.
pub fn report(node: &Node, included: Included) {
	println!("in block #{} ({:?})", included.block, included.hash);
	for event in &included.events {
		if let Some(line) = describe_event(node, event) {
			println!("  {line}");
		}
	}
}

/// An event worth showing, in words (accounts by development name or SS58 address); `None`
/// for the bookkeeping of fees and dispatch.
fn describe_event(node: &Node, event: &Event) -> Option<String> {
	if ["System", "TransactionPayment", "Balances"].contains(&event.pallet_name()) {
		return None;
	}
	Some(node.event_text(event, &keys::show))
}

/// `wh` in kWh with three decimals, exactly: `33133` is `33.133`.
pub fn kwh(wh: u64) -> String {
	format!("{}.{:03}", wh / 1000, wh % 1000)
}

/// Prints a table of the accounts' energy, from `energy_account`. What they bought and sold, and
/// for how much, is not kept on chain: the indexer's statements (`docs/indexer.md`) have it.
pub async fn summary(node: &Node, accounts: &[String]) -> Result<(), String> {
	let field = |v: &Value, key: &str| kwh(v[key].as_u64().unwrap_or_default());
	let columns = [
		("account", ""),
		("produced", "kWh"),
		("retired", "kWh"),
		("consumed", "kWh"),
		("uncovered", "kWh"),
		("credits", "kWh"),
	];
	let line = |cells: Vec<String>| {
		let mut text = format!("{:<10}", cells[0]);
		for cell in &cells[1..] {
			text.push_str(&format!(" {cell:>10}"));
		}
		println!("{text}");
	};
	line(columns.iter().map(|c| c.0.to_string()).collect());
	line(columns.iter().map(|c| c.1.to_string()).collect());
	for name in accounts {
		let who = keys::account(name)?;
		let p = node.position(&who).await?;
		let credits =
			p["freeWh"].as_u64().unwrap_or_default() + p["heldWh"].as_u64().unwrap_or_default();
		line(vec![
			keys::show(&who),
			field(&p, "mintedWh"),
			field(&p, "retiredWh"),
			field(&p, "consumedWh"),
			field(&p, "uncoveredWh"),
			kwh(credits),
		]);
	}
	Ok(())
}

/// Prints `value` as indented JSON.
pub fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
	println!("{}", serde_json::to_string_pretty(value).map_err(|e| e.to_string())?);
	Ok(())
}

/// Prints the events of each finalized block as it is finalized.
pub async fn watch(node: &Node, pallets: &[String], blocks: Option<u32>) -> Result<(), String> {
	follow(node, blocks, |event| {
		let wanted = pallets.is_empty()
			|| pallets.iter().any(|p| p.eq_ignore_ascii_case(event.pallet_name()));
		describe_event(node, event).filter(|_| wanted)
	})
	.await
}

/// Follows the finalized blocks (`blocks` of them, or until interrupted) and prints, after its
/// block's number, what `line` makes of each event.
pub async fn follow(
	node: &Node,
	blocks: Option<u32>,
	mut line: impl FnMut(&Event) -> Option<String>,
) -> Result<(), String> {
	let mut finalized =
		node.api.blocks().subscribe_finalized().await.map_err(|e| format!("subscribe: {e}"))?;
	let mut seen = 0u32;
	while let Some(block) = finalized.next().await {
		let block = block.map_err(|e| e.to_string())?;
		let number = block.number();
		for event in node.events_at(block.hash()).await? {
			if let Some(line) = line(&event) {
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
