//! What an oracle does: sign a file of interval readings and submit them in fee-less batches,
//! each batch signed as a whole or each reading on its own.

use crate::{
	csv::{MeterRef, ReadingRow},
	relay::{submit_splitting, Tally},
};
use indicatif::ProgressBar;
use peergrid_client::{
	api::peergrid::{self, readings::events},
	node::{Included, Node},
	readings::{self, Signing},
};
use peergrid_primitives::reading::Reading;
use serde_json::json;
use sp_core::sr25519;
use std::collections::BTreeMap;

/// What became of the readings submitted.
struct Outcome {
	accepted: usize,
	rejected: Vec<String>,
	/// The readings done, of all.
	progress: ProgressBar,
}

impl Outcome {
	/// Records that the reading of `meter` for `interval` was rejected, and why.
	fn reject(&mut self, meter: u64, interval: u64, why: String) {
		self.rejected.push(format!("meter {meter} interval {interval}: {why}"));
	}
}

impl Tally<Reading> for Outcome {
	/// Counts the readings a batch of `n` got into a block and reports the block.
	fn count(&mut self, node: &Node, included: &Included, n: usize) -> Result<(), String> {
		self.accepted += included.find::<events::ReadingAccepted>()?.len();
		for rejected in included.find::<events::ReadingRejected>()? {
			self.reject(rejected.meter, rejected.interval, node.describe(&rejected.error));
		}
		self.progress.suspend(|| {
			println!("in block #{} ({:?}): {n} readings", included.block, included.hash)
		});
		self.progress.inc(n as u64);
		Ok(())
	}

	/// Records that the pool refused `reading`, and why.
	fn refuse(&mut self, node: &Node, reading: &Reading, reason: &str) {
		self.reject(reading.meter, reading.interval, reading_refusal(node, reason));
		self.progress.inc(1);
	}
}

/// Submits the readings in batches of `batch`, in file order, each batch or each reading
/// signed with the oracle's key as `signing` says; reports each rejected one.
///
/// Batches go as general transactions (no fee, no account needed), unless `pay`: then the
/// oracle's account signs them and pays the fee. The pool takes a fee-less batch only if every
/// reading of it is valid. When it refuses one, the batch is split in two halves, submitted in
/// order, down to single readings, which the pool then refuses with their own reason: the good
/// readings go in, each bad one is named. A paid batch is never refused for a bad reading:
/// the block rejects each one alone.
pub async fn submit_readings(
	node: &Node,
	oracle: &sr25519::Pair,
	rows: &[ReadingRow],
	(batch, signing): (usize, Signing),
	pay: bool,
) -> Result<(), String> {
	let max = node.constant(&peergrid::constants().readings().max_batch_size())?;
	if !(1..=max as usize).contains(&batch) {
		return Err(format!("a batch carries 1 to {max} readings"));
	}
	let mut meters: BTreeMap<&MeterRef, u64> = BTreeMap::new();
	let mut all = Vec::with_capacity(rows.len());
	for row in rows {
		let meter = match meters.get(&row.meter) {
			Some(id) => *id,
			None => {
				let id = resolve_meter(node, &row.meter).await?;
				meters.insert(&row.meter, id);
				id
			}
		};
		let reading = Reading {
			meter,
			interval: row.interval,
			imported_wh: row.imported_wh,
			exported_wh: row.exported_wh,
		};
		all.push(reading);
	}
	let progress = crate::progress::bar(all.len(), "readings");
	let mut outcome = Outcome { accepted: 0, rejected: Vec::new(), progress };
	let sign = |part: &[Reading]| readings::submit(signing, node.genesis(), oracle, part);
	for chunk in all.chunks(batch) {
		if pay {
			let included = node.send(oracle, &sign(chunk)).await?;
			outcome.count(node, &included, chunk.len())?;
		} else {
			submit_splitting(node, chunk, &sign, &mut outcome).await?;
		}
	}
	outcome.progress.finish_and_clear();
	println!("{} readings accepted, {} rejected", outcome.accepted, outcome.rejected.len());
	if outcome.rejected.is_empty() {
		return Ok(());
	}
	for line in &outcome.rejected {
		println!("  rejected: {line}");
	}
	Err(format!("{} of {} readings were rejected", outcome.rejected.len(), rows.len()))
}

/// The pool's refusal of a reading by the readings pallet's error: the pool reports a bad
/// signature, a replayed and a future interval in its own words (`BadProof`, `Stale`, `Future`:
/// `pallets/readings/README.md`).
fn reading_refusal(node: &Node, reason: &str) -> String {
	let named = [
		("bad signature", "BadSignature"),
		("outdated", "IntervalNotNewer"),
		("in the future", "IntervalInFuture"),
	]
	.into_iter()
	.find(|(words, _)| reason.contains(words))
	.and_then(|(_, error)| node.named_error("Readings", error));
	named.unwrap_or_else(|| reason.to_string())
}

/// A meter's chain number: given, or looked up by its external id, which must be registered.
async fn resolve_meter(node: &Node, meter: &MeterRef) -> Result<u64, String> {
	match meter {
		MeterRef::Id(id) => Ok(*id),
		MeterRef::External(external) => {
			// A JSON string is always an external id to `energy_meter`, even if all digits.
			let info = node.call("energy_meter", vec![json!(external)]).await?;
			info["id"].as_u64().ok_or_else(|| format!("no meter has the external id {external:?}"))
		}
	}
}
