//! `peergrid-demo-readings`: plays the meter head-end of the development chain's demo grid.
//!
//! For each demo meter it makes up plausible interval readings (rooftop solar following the
//! sun, households' load following the day) for the last `--intervals` settlement intervals
//! (default 96: the last day) that the chain does not have yet, signs them with the demo
//! oracle's key (Ferdie) and submits them as batches, as a relayer with no key and no funds
//! would. Run it again later: it continues where the chain is.
//!
//! On a chain whose market has seen no order yet, it then opens the market: Bob and Charlie
//! offer part of their credits, Dave and Eve buy some (Dave also leaves a bid resting below the
//! asks), and both retire what they bought against their consumption.
//!
//! Usage: peergrid-demo-readings [--rpc http://127.0.0.1:9944] [--intervals 96]

use pallet_market::Side;
use pallet_readings::{MeterState, Reading};
use peergrid_client::{readings, wait_until, Chain, Rpc, RpcError};
use peergrid_primitives::MeterKind;
use peergrid_runtime::{
	configs::SETTLEMENT_INTERVAL_SECONDS, genesis_config_presets::demo, AccountId, Runtime,
	RuntimeCall, MILLI_UNIT,
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
		println!(
			"{meter:<6} {:<8} {:<14} {:>14} {:>14}",
			name(&owner),
			format!("{kind:?}"),
			credits.free + credits.held,
			consumption.metered
		);
	}
	open_market(&chain)
}

fn name(who: &AccountId) -> String {
	Sr25519Keyring::iter()
		.find(|k| &k.to_account_id() == who)
		.map_or_else(|| who.to_string(), |k| format!("{k:?}"))
}

/// The market's first orders: sellers first, so that the buys trade at their asks.
fn open_market(chain: &Chain) -> Result<(), RpcError> {
	let next_order = || -> Result<u64, RpcError> {
		Ok(chain.storage(&pallet_market::NextOrderId::<Runtime>::hashed_key())?.unwrap_or(0))
	};
	if next_order()? > 0 {
		println!("the market already has orders: leaving it as it is");
		return Ok(());
	}
	let (bob, charlie, dave, eve) =
		(Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave, Sr25519Keyring::Eve);
	let submit = |who: Sr25519Keyring, calls: Vec<RuntimeCall>| -> Result<(), RpcError> {
		let nonce = chain.account(&who.to_account_id())?.nonce;
		for (i, call) in calls.into_iter().enumerate() {
			chain.submit(&chain.signed(who, nonce + i as u32, call))?;
		}
		Ok(())
	};
	let order = |side, zone, amount, price_milli: u128| {
		RuntimeCall::Market(pallet_market::Call::place_order {
			side,
			zone,
			amount,
			price: price_milli * MILLI_UNIT,
			expires_at: None,
		})
	};
	// Bob (North) and Charlie (South) offer 40 % of their credits, at 0.15 and 0.14 GRID/kWh.
	let offer = |who: Sr25519Keyring| -> Result<u64, RpcError> {
		Ok(chain.credits(&who.to_account_id())?.free * 2 / 5)
	};
	submit(bob, vec![order(Side::Sell, 0, offer(bob)?, 150)])?;
	submit(charlie, vec![order(Side::Sell, 1, offer(charlie)?, 140)])?;
	wait_until(Duration::from_secs(60), || Ok(next_order()? >= 2))?;
	// Dave (North) buys 5 kWh at up to 0.18 all-in and bids for 20 kWh more at 0.12; Eve
	// (South) buys 8 kWh at up to 0.16 all-in. The grid fee between the zones is 0.02.
	submit(dave, vec![order(Side::Buy, 0, 5_000, 180), order(Side::Buy, 0, 20_000, 120)])?;
	submit(eve, vec![order(Side::Buy, 1, 8_000, 160)])?;
	wait_until(Duration::from_secs(60), || Ok(next_order()? >= 5))?;
	// They retire what they bought against their consumption.
	for who in [dave, eve] {
		let amount = chain.credits(&who.to_account_id())?.free;
		if amount > 0 {
			submit(who, vec![RuntimeCall::Credits(pallet_credits::Call::retire { amount })])?;
		}
	}
	wait_until(Duration::from_secs(60), || {
		Ok(chain.consumption(&dave.to_account_id())?.retired > 0
			&& chain.consumption(&eve.to_account_id())?.retired > 0)
	})?;

	println!(
		"\nmarket opened: sells by Bob (0.15 GRID/kWh) and Charlie (0.14), buys by Dave and Eve"
	);
	println!(
		"{:<8} {:>12} {:>13} {:>13} {:>12} {:>14}",
		"account", "credits (Wh)", "offered (Wh)", "retired (Wh)", "open orders", "GRID (free)"
	);
	for who in [bob, charlie, dave, eve] {
		let account = who.to_account_id();
		let credits = chain.credits(&account)?;
		let retired = chain.consumption(&account)?.retired;
		let orders: Vec<u64> = chain
			.storage(&pallet_market::OrdersOf::<Runtime>::hashed_key_for(&account))?
			.unwrap_or_default();
		let grid = chain.account(&account)?.data.free;
		println!(
			"{:<8} {:>12} {:>13} {:>13} {:>12} {:>14.4}",
			name(&account),
			credits.free,
			credits.held,
			retired,
			orders.len(),
			grid as f64 / 1e12
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
