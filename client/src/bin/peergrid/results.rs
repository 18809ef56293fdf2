//! `peergrid auction results`: a zone's auctions interval by interval, from the node's
//! `energy_auction`, and their clearings and settlements as their blocks are finalized.

use crate::show::{self, kwh};
use chrono::DateTime;
use peergrid_client::{
	api::peergrid::{self, auction::events},
	auction,
	node::{decode, Node},
};
use peergrid_primitives::{api::AuctionStage, IntervalIndex, ZoneId};
use std::collections::BTreeSet;

/// The start of `interval` (of `seconds` each) in UTC, e.g. `2026-12-08 14:15`.
fn start(interval: IntervalIndex, seconds: u64) -> String {
	i64::try_from(interval.saturating_mul(seconds))
		.ok()
		.and_then(|s| DateTime::from_timestamp(s, 0))
		.map_or_else(|| interval.to_string(), |t| t.format("%Y-%m-%d %H:%M").to_string())
}

fn stage(stage: AuctionStage) -> &'static str {
	match stage {
		AuctionStage::NotOpenYet => "not open yet",
		AuctionStage::Open => "open",
		AuctionStage::Clearing => "clearing",
		AuctionStage::Delivering => "delivering",
		AuctionStage::Settling => "settling",
		AuctionStage::Closed => "closed",
	}
}

/// The length of an interval, in seconds.
fn interval_seconds(node: &Node) -> Result<u64, String> {
	node.constant(&peergrid::constants().auction().interval_seconds())
}

/// Prints a table of `zone`'s auctions of `count` intervals from `first`: a cleared one's
/// price and energy, an open one's indicative price and energy (where it would clear now).
pub async fn table(
	node: &Node,
	zone: ZoneId,
	first: IntervalIndex,
	count: u64,
) -> Result<(), String> {
	let (seconds, decimals) = (interval_seconds(node)?, node.decimals()?);
	// Every row as of one block.
	let at = node.best_hash().await?;
	println!(
		"{:>10}  {:<16}  {:<12}  {:>6}  {:>14}  {:>10}",
		"interval", "starts (UTC)", "stage", "orders", "GRID/kWh", "kWh"
	);
	for interval in first..first.saturating_add(count) {
		let info = auction::info(node, zone, interval, Some(at)).await?;
		let (cleared, note) = match (&info.result, &info.indicative) {
			(Some(result), _) => (Some(result), ""),
			(None, Some(indicative)) => (Some(indicative), "  indicative"),
			(None, None) => (None, ""),
		};
		println!(
			"{:>10}  {:<16}  {:<12}  {:>6}  {:>14}  {:>10}{note}",
			interval,
			start(interval, seconds),
			stage(info.stage),
			info.orders,
			cleared.map_or_else(|| "-".into(), |c| decimals.show(c.price)),
			cleared.map_or_else(|| "-".into(), |c| kwh(c.volume_wh)),
		);
	}
	Ok(())
}

/// Prints each clearing and settlement of `zone`'s auctions as its block is finalized, until
/// interrupted. An auction that closed without a match ends there: its settlement, which only
/// releases holds, is not printed.
pub async fn follow(node: &Node, zone: ZoneId) -> Result<(), String> {
	let (seconds, decimals) = (interval_seconds(node)?, node.decimals()?);
	let at = |interval| format!("interval {interval} ({} UTC)", start(interval, seconds));
	println!(
		"following zone {zone}'s clearings and settlements as they are finalized (Ctrl-C stops)"
	);
	let mut unmatched = BTreeSet::new();
	show::follow(node, None, |event| {
		if let Ok(Some(e)) = decode::<events::Cleared>(event) {
			let product = e.product.0;
			return (product.zone == zone).then(|| {
				let price = decimals.show(e.price);
				format!(
					"{} cleared at {price} GRID/kWh: {} kWh",
					at(product.interval),
					kwh(e.volume)
				)
			});
		}
		if let Ok(Some(e)) = decode::<events::NotCleared>(event) {
			let product = e.product.0;
			return (product.zone == zone && unmatched.insert(product))
				.then(|| format!("{} closed: no bid met an offer", at(product.interval)));
		}
		if let Ok(Some(e)) = decode::<events::Settled>(event) {
			let product = e.product.0;
			return (product.zone == zone && !unmatched.remove(&product)).then(|| {
				format!("{} settled: {} kWh delivered", at(product.interval), kwh(e.delivered))
			});
		}
		None
	})
	.await
}
