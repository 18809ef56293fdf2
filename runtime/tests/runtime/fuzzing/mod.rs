//! The runtime fuzzer's harness: any bytes become a sequence of transactions of every energy
//! call, balances, motions and sudo, signed by many accounts and as fee-less batches of
//! oracle-signed readings (signed one by one or as a whole; good, stale and forged), over many
//! blocks, with the clock moving on.
//! After every block it checks what the chain promises:
//!
//! - nothing panics;
//! - every pallet's `try_state` invariants hold;
//! - the native currency's issuance equals the sum of every account's balance (the credits'
//!   own `try_state` checks the same for credits);
//! - the block is within its weight and length limits;
//! - no call reported more weight than it declared (its dispatch is first run and rolled back
//!   to read the weight it reports, then applied for real).
//!
//! `runtime/tests/runtime/fuzz.rs` runs it on pseudo-random inputs in the test command; a
//! coverage-guided fuzzer can hand it its inputs the same way (`docs/reliability.md`).

use crate::common::{
	check_invariants, general, new_test_ext, reading_for, signed, signed_batch, start_block, Key,
	SLOT0,
};
use codec::Encode;
use frame_support::{
	dispatch::DispatchClass,
	dispatch::{GetDispatchInfo, RawOrigin},
	traits::UnfilteredDispatchable,
};
use pallet_market::Side;
use pallet_readings::Reading;
use peergrid_runtime::{
	configs::RuntimeBlockLength, Balance, Executive, Runtime, RuntimeCall, RuntimeOrigin, System,
	UncheckedExtrinsic, MILLI_UNIT, UNIT,
};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring as K;

/// What the runs did: blocks, transactions applied (succeeded or failed in their block),
/// transactions refused, and how many of each kind of event the blocks emitted (by pallet and
/// variant index), the distinct paths through the runtime that the runs reached.
#[derive(Default, Debug)]
pub struct Stats {
	pub blocks: u64,
	pub succeeded: u64,
	pub failed: u64,
	pub refused: u64,
	pub events: std::collections::BTreeMap<(u8, u8), u64>,
}

thread_local! {
	/// The statistics of the runs of this thread so far.
	pub static STATS: std::cell::RefCell<Stats> = std::cell::RefCell::new(Stats::default());
}

/// The accounts that act: the six funded development accounts and two that hold nothing.
const ACCOUNTS: [K; 8] = [K::Alice, K::Bob, K::Charlie, K::Dave, K::Eve, K::Ferdie, K::One, K::Two];

/// The most transactions one input plays, so that any input ends quickly.
const MOST_ACTIONS: usize = 400;

/// Reads choices from the fuzzer's bytes; once they run out, every choice is the first.
struct Input<'a>(&'a [u8]);

impl Input<'_> {
	fn byte(&mut self) -> u8 {
		let (first, rest) = self.0.split_first().map_or((0, &[][..]), |(f, r)| (*f, r));
		self.0 = rest;
		first
	}

	fn below(&mut self, n: u32) -> u32 {
		let wide = u32::from(self.byte()) << 8 | u32::from(self.byte());
		wide % n.max(1)
	}

	fn pick<T: Copy>(&mut self, items: &[T]) -> T {
		items[self.below(items.len() as u32) as usize]
	}

	fn done(&self) -> bool {
		self.0.is_empty()
	}
}

/// Plays `data` on a development chain (demo grid, oracle Ferdie, Alice sole member and
/// sudo), checking the promises after every block. Panics if one is broken.
pub fn run(data: &[u8]) {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut input = Input(data);
		let (mut number, mut slot) = (1u32, SLOT0 + 1);
		let mut parent = System::block_hash(0);
		start_block(number, parent, slot);
		for _ in 0..MOST_ACTIONS {
			if input.done() {
				break;
			}
			match input.below(12) {
				// The block ends; the next comes one slot later, or an interval later (150
				// slots) so that readings of new intervals become valid.
				0 => {
					parent = end_block(number);
					number += 1;
					slot += u64::from(input.pick(&[1u32, 3, 150, 150]));
					start_block(number, parent, slot);
				}
				_ => act(&mut input),
			}
		}
		end_block(number);
	});
}

/// Ends the block and checks the promises; its hash.
fn end_block(number: u32) -> sp_core::H256 {
	// What the block used, read before finalization clears it.
	let (used, length) = (frame_system::BlockWeight::<Runtime>::get(), System::block_size());
	let header = Executive::finalize_block();
	check_invariants(number);
	STATS.with_borrow_mut(|stats| {
		stats.blocks += 1;
		for record in System::events() {
			let kind = record.event.encode();
			*stats.events.entry((kind[0], kind[1])).or_default() += 1;
		}
	});
	let issuance = pallet_balances::TotalIssuance::<Runtime>::get();
	let held: Balance = frame_system::Account::<Runtime>::iter_values()
		.map(|account| account.data.free.saturating_add(account.data.reserved))
		.sum();
	assert_eq!(issuance, held, "block {number}: GRID issuance is not the sum of the balances");
	let limits = <Runtime as frame_system::Config>::BlockWeights::get();
	assert!(used.total().all_lte(limits.max_block), "block {number} is over its weight");
	let most = *RuntimeBlockLength::get().max.get(DispatchClass::Operational);
	assert!(length <= most, "block {number} is {length} bytes long, more than {most}");
	sp_runtime::traits::Header::hash(&header)
}

/// One transaction chosen by the input, applied as a wallet, an oracle's relayer or the
/// consortium would send it; invalid ones are refused by the transaction checks, failing ones
/// fail: either is fine, a broken promise is not.
fn act(input: &mut Input) {
	let who = input.pick(&ACCOUNTS);
	let other = input.pick(&ACCOUNTS).to_account_id();
	let amount: u64 = input.pick(&[100, 500, 1_000, 2_000, 99, u64::MAX]);
	let grid: Balance = input.pick(&[1, MILLI_UNIT - 1, MILLI_UNIT, UNIT, 10 * UNIT, u128::MAX]);
	let call = match input.below(14) {
		0 => RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: other.into(),
			value: grid,
		}),
		1 => RuntimeCall::Credits(pallet_credits::Call::transfer { dest: other, amount }),
		2 => RuntimeCall::Credits(pallet_credits::Call::retire { amount }),
		// Orders, mostly of the demo's traders in their meters' zones.
		3 | 11 | 12 | 13 => {
			let later = System::block_number() + 1 + input.below(4);
			let traders = [(K::Bob, 0), (K::Charlie, 1), (K::Dave, 0), (K::Eve, 1), (who, 0)];
			let (who, zone) = input.pick(&traders);
			return send(
				who,
				RuntimeCall::Market(pallet_market::Call::place_order {
					side: input.pick(&[Side::Buy, Side::Sell]),
					zone,
					amount,
					price: input.pick(&[
						100_000_000_000,
						120_000_000_000,
						150_000_000_000,
						200_000_000_000,
						150_000_000_001,
						1_000,
					]),
					expires_at: input.pick(&[None, Some(later)]),
				}),
			);
		}
		4 => RuntimeCall::Market(pallet_market::Call::cancel_order {
			order: u64::from(input.below(8)),
		}),
		5 => RuntimeCall::Market(pallet_market::Call::claim_grid_fees {}),
		6 => return readings(input, who),
		// The consortium (Alice, its only member here, passes any motion as she proposes it)
		// and the development chain's sudo key change the energy administration.
		7 | 8 => {
			let admin = admin_call(input);
			let call = if input.below(2) == 0 {
				RuntimeCall::Consortium(pallet_collective::Call::propose {
					threshold: 1,
					length_bound: admin.encoded_size() as u32,
					proposal: Box::new(admin),
				})
			} else {
				RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(admin) })
			};
			return send(K::Alice, call);
		}
		9 => RuntimeCall::Meters(pallet_meters::Call::register_meter {
			zone: input.below(3),
			external_id: vec![b'F', input.byte()].try_into().expect("short"),
			owner: other,
			kind: input.pick(&[
				peergrid_primitives::MeterKind::Consumption,
				peergrid_primitives::MeterKind::Bidirectional,
			]),
			capacity_w: input.pick(&[1_000, 10_000]),
			baseline: None,
		}),
		_ => RuntimeCall::Meters(pallet_meters::Call::set_meter_status {
			meter: u64::from(input.below(6)),
			status: input.pick(&[
				peergrid_primitives::MeterStatus::Active,
				peergrid_primitives::MeterStatus::Suspended,
			]),
		}),
	};
	send(who, call)
}

/// An administrative call of the energy pallets.
fn admin_call(input: &mut Input) -> RuntimeCall {
	match input.below(3) {
		0 => RuntimeCall::Market(pallet_market::Call::set_grid_fee {
			from: input.below(3),
			to: input.below(3),
			fee: input.pick(&[None, Some(0), Some(20_000_000_000), Some(1)]),
		}),
		1 => RuntimeCall::Meters(pallet_meters::Call::create_zone {
			name: b"Fuzz".to_vec().try_into().expect("short"),
			operator: input.pick(&ACCOUNTS).to_account_id(),
		}),
		_ => RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
			oracle: input.pick(&ACCOUNTS).to_account_id(),
			zones: vec![input.below(3)].try_into().expect("one zone"),
		}),
	}
}

/// A batch of readings of the demo meters, signed by the oracle or by another key, for
/// recent intervals, with registers that grow, shrink or jump: sent fee-less, or by `relayer`
/// who pays for it.
fn readings(input: &mut Input, relayer: K) {
	let now = pallet_timestamp::Now::<Runtime>::get() / 1000 / 900;
	let count = 1 + input.below(4);
	let readings = (0..count)
		.map(|_| {
			let meter = u64::from(input.below(5));
			// Mostly the next intervals after the meter's last reading (and before now, as
			// it must have ended), sometimes one not yet ended or one already read.
			let state = pallet_readings::MeterStates::<Runtime>::get(meter);
			let next = state.map_or(now.saturating_sub(3), |s| s.last_interval + 1);
			let interval = match input.below(8) {
				0 => now,
				1 => next.saturating_sub(1),
				k => (next + u64::from(k % 3)).min(now.saturating_sub(1)),
			};
			let last = state.map(|s| s.registers).unwrap_or_default();
			let step = u64::from(input.pick(&[0u32, 200, 1_000, 1_000, 1_000_000]));
			let (imported, exported) = match input.below(4) {
				0 => (last.imported_wh + step, last.exported_wh),
				1 | 2 => (last.imported_wh, last.exported_wh + step),
				_ => (last.imported_wh.saturating_sub(step), last.exported_wh),
			};
			let key = input.pick(&[Key::Sr(K::Ferdie), Key::Sr(K::Ferdie), Key::Sr(K::Eve)]);
			(key, Reading { meter, interval, imported_wh: imported, exported_wh: exported })
		})
		.collect::<Vec<_>>();
	let genesis = System::block_hash(0);
	let call = if input.below(3) == 0 {
		// Signed as a whole by the first reading's key, now and then for another chain.
		let genesis = if input.below(8) == 0 { sp_core::H256::zero() } else { genesis };
		signed_batch(genesis, readings[0].0, readings.iter().map(|(_, r)| *r).collect())
	} else {
		let readings = readings
			.iter()
			.map(|(key, r)| {
				reading_for(genesis, *key, r.meter, r.interval, r.imported_wh, r.exported_wh)
			})
			.collect::<Vec<_>>();
		RuntimeCall::Readings(pallet_readings::Call::submit_readings {
			readings: readings.try_into().expect("a small batch"),
		})
	};
	if input.below(4) == 0 {
		send(relayer, call);
	} else {
		apply_checked(general(call.clone()), call, RawOrigin::Authorized.into());
	}
}

/// `call` signed by `who` with its next nonce.
fn send(who: K, call: RuntimeCall) {
	let nonce = System::account_nonce(who.to_account_id());
	let origin = RawOrigin::Signed(who.to_account_id()).into();
	apply_checked(signed(who, nonce, call.clone(), None), call, origin);
}

/// Applies `xt`, after checking that `call`, dispatched as `origin` and rolled back, reports no
/// more weight than it declares.
fn apply_checked(xt: UncheckedExtrinsic, call: RuntimeCall, origin: RuntimeOrigin) {
	let declared = call.get_dispatch_info().call_weight;
	sp_io::storage::start_transaction();
	let outcome = call.clone().dispatch_bypass_filter(origin);
	sp_io::storage::rollback_transaction();
	let post = match outcome {
		Ok(post) => post,
		Err(failed) => failed.post_info,
	};
	if let Some(actual) = post.actual_weight {
		assert!(
			actual.all_lte(declared),
			"{call:?} reported {actual} of weight, more than the {declared} it declared"
		);
	}
	let applied = Executive::apply_extrinsic(xt);
	STATS.with_borrow_mut(|stats| match applied {
		Ok(Ok(())) => stats.succeeded += 1,
		Ok(Err(_)) => stats.failed += 1,
		Err(_) => stats.refused += 1,
	});
}
