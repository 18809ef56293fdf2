//! `peergrid-demo-readings`: plays the meter head-end of the development chain's demo grid.
//!
//! For each demo meter it makes up plausible interval readings (rooftop solar following the
//! sun, households' load following the day) for the last `--intervals` settlement intervals
//! (default 96: the last day) that the chain does not have yet, signs them with the demo
//! oracle's key (Ferdie) and submits them as batches, as a relayer with no key and no funds
//! would. Run it again later: it continues where the chain is.
//!
//! Usage: peergrid-demo-readings [--rpc http://127.0.0.1:9944] [--intervals 96]

use pallet_readings::{MeterState, Reading};
use peergrid_client::{readings, wait_until, Chain, Rpc, RpcError};
use peergrid_primitives::MeterKind;
use peergrid_runtime::{
	configs::SETTLEMENT_INTERVAL_SECONDS, genesis_config_presets::demo, AccountId, Runtime,
};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

/// The most readings one batch carries (the runtime's `MaxBatchSize`).
const BATCH: usize = 256;

fn main() {
	if let Err(e) = run() {
		eprintln!("peergrid-demo-readings: {e}");
		std::process::exit(1);
	}
}

fn run() -> Result<(), RpcError> {
	let mut rpc = String::from("http://127.0.0.1:9944");
	let mut intervals: u64 = 96;
	let mut args = std::env::args().skip(1);
	while let Some(arg) = args.next() {
		match (arg.as_str(), args.next()) {
			("--rpc", Some(v)) => rpc = v,
			("--intervals", Some(v)) => {
				intervals = v.parse().map_err(|_| RpcError::Decode(format!("--intervals {v}")))?
			}
			_ => {
				eprintln!("usage: peergrid-demo-readings [--rpc URL] [--intervals N]");
				std::process::exit(2);
			}
		}
	}
	// The node may be starting: wait for it, and for its first block, which sets its clock.
	let rpc = Rpc::new(&rpc);
	wait_until(Duration::from_secs(120), || {
		Ok(rpc.call("chain_getHeader", serde_json::json!([])).is_ok())
	})?;
	let chain = Chain::connect(rpc)?;
	wait_until(Duration::from_secs(120), || Ok(chain.now()? > 0))?;
	let now = chain.current_interval()?;
	let oracle = demo::oracle();

	let mut signed = Vec::new();
	let mut owners: Vec<(u64, AccountId, MeterKind)> = Vec::new();
	for (meter, (_, _, owner, kind, capacity_w)) in demo::meters().into_iter().enumerate() {
		let meter = meter as u64;
		let state: Option<MeterState> =
			chain.storage(&pallet_readings::MeterStates::<Runtime>::hashed_key_for(meter))?;
		let (mut registers, first) = match state {
			Some(s) => (s.registers, s.last_interval + 1),
			None => (Default::default(), now.saturating_sub(intervals)),
		};
		for interval in first.max(now.saturating_sub(intervals))..now {
			let (imported, exported) = energy(kind, capacity_w, interval);
			registers.imported_wh += imported;
			registers.exported_wh += exported;
			let reading = Reading {
				meter,
				interval,
				imported_wh: registers.imported_wh,
				exported_wh: registers.exported_wh,
			};
			signed.push(readings::sign(chain.genesis, oracle, reading));
		}
		owners.push((meter, owner, kind));
	}
	let total = signed.len();
	println!("signing and submitting {total} readings of {} demo meters", owners.len());
	while !signed.is_empty() {
		let rest = signed.split_off(signed.len().min(BATCH));
		let call = readings::batch(std::mem::replace(&mut signed, rest))
			.ok_or_else(|| RpcError::Decode("batch too large".into()))?;
		chain.submit(&chain.general(call))?;
	}
	wait_until(Duration::from_secs(120), || {
		for (meter, _, _) in &owners {
			let state: Option<MeterState> =
				chain.storage(&pallet_readings::MeterStates::<Runtime>::hashed_key_for(*meter))?;
			if state.is_none_or(|s| s.last_interval + 1 < now) {
				return Ok(false);
			}
		}
		Ok(true)
	})?;

	println!(
		"{:<6} {:<8} {:<14} {:>14} {:>14}",
		"meter", "owner", "kind", "credits (Wh)", "consumed (Wh)"
	);
	for (meter, owner, kind) in owners {
		let credits = chain.credits(&owner)?;
		let consumption = chain.consumption(&owner)?;
		let name = Sr25519Keyring::iter()
			.find(|k| k.to_account_id() == owner)
			.map_or_else(|| owner.to_string(), |k| format!("{k:?}"));
		println!(
			"{meter:<6} {name:<8} {:<14} {:>14} {:>14}",
			format!("{kind:?}"),
			credits.free + credits.held,
			consumption.metered
		);
	}
	Ok(())
}

/// Energy a demo meter imports and exports in `interval`, in Wh: rooftop solar at up to 80 % of
/// the meter's capacity between 06:00 and 18:00 UTC, and a household load of 300 W with an
/// evening peak of 1.5 kW.
fn energy(kind: MeterKind, capacity_w: u32, interval: u64) -> (u64, u64) {
	let hours = SETTLEMENT_INTERVAL_SECONDS as f64 / 3600.0;
	let hour = (interval * SETTLEMENT_INTERVAL_SECONDS % 86_400) as f64 / 3600.0;
	let sun = if (6.0..18.0).contains(&hour) {
		(std::f64::consts::PI * (hour - 6.0) / 12.0).sin()
	} else {
		0.0
	};
	let load_w = if (18.0..21.0).contains(&hour) { 1_500.0 } else { 300.0 };
	let solar_w = match kind {
		MeterKind::Consumption => 0.0,
		_ => 0.8 * f64::from(capacity_w) * sun,
	};
	let net_w = solar_w - load_w;
	let imported = (-net_w).max(0.0) * hours;
	let exported = net_w.max(0.0) * hours;
	(imported.round() as u64, exported.round() as u64)
}
