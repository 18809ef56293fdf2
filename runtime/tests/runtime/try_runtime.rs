//! try-runtime, in the repository: this runtime's upgrade run against the state of a real
//! chain of the previous runtime, with every migration's pre- and post-upgrade checks, the
//! multi-block migrations stepped block by block to their end, each block within its weight,
//! every pallet's `try_state` after each block, and the upgrade run again changing nothing.
//!
//! The state is a snapshot of a development chain of the previous runtime that ran the demo
//! (`scripts/snapshot.sh` made it: `peergrid-node export-state`, without the runtime's code,
//! which native execution does not need).

use crate::common::check_invariants;
use frame_support::traits::UpgradeCheckSelect;
use peergrid_runtime::{Executive, Runtime, System, EXISTENTIAL_DEPOSIT, VERSION};
use sp_core::{storage::Storage, H256};
use std::collections::BTreeMap;

/// The snapshot: a development chain of spec 102 after `scripts/demo.sh`.
const SNAPSHOT: &str = include_str!("snapshots/dev-demo-spec102.json");

/// The snapshot's state, as a chain spec's raw genesis holds it.
fn snapshot() -> sp_io::TestExternalities {
	let spec: serde_json::Value = serde_json::from_str(SNAPSHOT).expect("the snapshot is JSON");
	let top = spec["genesis"]["raw"]["top"].as_object().expect("a raw state");
	let unhex = |s: &str| sp_core::bytes::from_hex(s).expect("hex");
	let top: BTreeMap<Vec<u8>, Vec<u8>> =
		top.iter().map(|(k, v)| (unhex(k), unhex(v.as_str().expect("a hex value")))).collect();
	sp_io::TestExternalities::new(Storage { top, children_default: Default::default() })
}

/// The chain's next block, built on the snapshot's last one as its author would; the
/// invariants are checked after it unless migrations are still under way (a half-migrated
/// state holds them only once the last one is done).
fn next_block() {
	let number = System::block_number() + 1;
	let parent = System::block_hash(number - 1);
	let parent = if parent == H256::zero() { System::parent_hash() } else { parent };
	let slot = pallet_timestamp::Now::<Runtime>::get() / peergrid_runtime::SLOT_DURATION + 1;
	crate::common::start_block(number, parent, slot);
	Executive::finalize_block();
	let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
	let used = frame_system::BlockWeight::<Runtime>::get().total();
	assert!(used.all_lte(max), "block {number} uses {used}, more than {max}");
	if pallet_migrations::Cursor::<Runtime>::get().is_none() {
		check_invariants(number);
	}
}

/// The market's maps of history, of versions 0 and 1.
const HISTORY: [&str; 5] =
	["ZoneIntervalTrading", "TradedBy", "TradeCount", "RecentTrades", "RecentIntervalTrading"];

/// Every key and value of `pallet`'s storage.
fn pallet_state(pallet: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
	let prefix = sp_io::hashing::twox_128(pallet.as_bytes()).to_vec();
	let mut state = Vec::new();
	let mut key = prefix.clone();
	while let Some(next) = sp_io::storage::next_key(&key).filter(|k| k.starts_with(&prefix)) {
		let value = sp_io::storage::get(&next).expect("a key has a value").to_vec();
		state.push((next.clone(), value));
		key = next;
	}
	state
}

#[test]
fn the_upgrade_from_the_previous_runtime_migrates_a_demo_chain_checked_and_idempotent() {
	snapshot().execute_with(|| {
		let before = frame_system::LastRuntimeUpgrade::<Runtime>::get()
			.expect("the snapshot's chain records its runtime");
		assert!(u32::from(before.spec_version) < VERSION.spec_version, "an upgrade to test");
		let number = System::block_number();
		assert!(number > 0, "a chain that ran");
		// The demo traded: its chain keeps the trading of spec 102 (version 0).
		let market = sp_io::hashing::twox_128(b"Market");
		let traded_by = [market, sp_io::hashing::twox_128(b"TradedBy")].concat();
		let kept = pallet_state("Market").into_iter().filter(|(k, _)| k.starts_with(&traded_by));
		assert!(kept.count() > 0, "the snapshot holds traders' records");

		// The upgrade's own block: the single-block migrations and the pallets' upgrade hooks,
		// which start the multi-block migrations. (The pallets' pre- and post-upgrade checks
		// run below, once the multi-block migrations have brought every pallet to its version.)
		let weight = Executive::try_runtime_upgrade(UpgradeCheckSelect::None)
			.unwrap_or_else(|e| panic!("the upgrade fails: {e:?}"));
		let max = <Runtime as frame_system::Config>::BlockWeights::get().max_block;
		assert!(weight.all_lte(max), "the upgrade's own block is within its weight: {weight}");

		// The multi-block migrations, stepped in blocks until none is left; pallet-migrations
		// runs each one's pre- and post-upgrade checks (and panics if one fails).
		let (mut blocks, mut completed) = (0, 0);
		while pallet_migrations::Cursor::<Runtime>::get().is_some() {
			next_block();
			blocks += 1;
			assert!(blocks < 1_000, "the migrations end");
			completed += System::events()
				.iter()
				.filter(|r| {
					matches!(
						r.event,
						peergrid_runtime::RuntimeEvent::MultiBlockMigrations(
							pallet_migrations::Event::MigrationCompleted { .. }
						)
					)
				})
				.count();
		}
		assert_eq!(completed, 3, "the credits', readings' and market's migrations completed");
		use frame_support::traits::GetStorageVersion;
		assert_eq!(pallet_readings::Pallet::<Runtime>::on_chain_storage_version(), 2);
		assert_eq!(pallet_market::Pallet::<Runtime>::on_chain_storage_version(), 2);
		// The demo's history is gone from state (its readings' totals, its trades): the
		// readings keep their meters' states only.
		let readings = pallet_state("Readings");
		let states = {
			use frame_support::storage::StoragePrefixedMap;
			pallet_readings::MeterStates::<Runtime>::final_prefix()
		};
		assert!(readings.len() > 1, "the demo's meters have states");
		let others: Vec<_> = readings.iter().filter(|(k, _)| !k.starts_with(&states)).collect();
		assert_eq!(others.len(), 1, "the version and nothing else: {others:?}");
		// The market keeps no key of its history maps.
		for map in HISTORY {
			let prefix = [market, sp_io::hashing::twox_128(map.as_bytes())].concat();
			let left = pallet_state("Market").into_iter().filter(|(k, _)| k.starts_with(&prefix));
			assert_eq!(left.count(), 0, "{map} is left");
		}
		let market = pallet_market::Pallet::<Runtime>::account();
		assert_eq!(pallet_balances::Pallet::<Runtime>::free_balance(&market), EXISTENTIAL_DEPOSIT);

		// The migrated chain takes blocks, every pallet's invariants hold after each.
		next_block();

		// Again, with every check: each pallet's pre- and post-upgrade checks (its storage
		// version is its code's), every pallet's try_state; nothing is left to migrate and the
		// energy pallets' state does not change.
		let energy = ["Meters", "Readings", "Credits", "Market"];
		let state: Vec<_> = energy.iter().map(|p| pallet_state(p)).collect();
		assert!(state.iter().all(|s| !s.is_empty()), "the demo's state is there");
		Executive::try_runtime_upgrade(UpgradeCheckSelect::All)
			.unwrap_or_else(|e| panic!("the upgrade, run again, fails its checks: {e:?}"));
		while pallet_migrations::Cursor::<Runtime>::get().is_some() {
			next_block();
		}
		let again: Vec<_> = energy.iter().map(|p| pallet_state(p)).collect();
		assert!(state == again, "the second upgrade changed the energy pallets' state");
	});
}
