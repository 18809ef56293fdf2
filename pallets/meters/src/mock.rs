//! A test runtime with the registry: admin = Root, accounts are `u64`.

use crate as pallet_meters;
use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(RuntimeCall, RuntimeEvent, RuntimeError, RuntimeOrigin, RuntimeTask)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Meters = pallet_meters;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

parameter_types! {
	pub const MaxMetersPerOwner: u32 = 3;
}

impl pallet_meters::Config for Test {
	type AdminOrigin = frame_system::EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type IntervalSeconds = ConstU64<900>;
	type MaxMetersPerOwner = MaxMetersPerOwner;
	type MaxZonesPerOracle = ConstU32<4>;
	type WeightInfo = pallet_meters::weights::SubstrateWeight<Test>;
}

/// The consortium's admin in tests is Root; these are signed accounts.
pub const OPERATOR: u64 = 1;
pub const OTHER_OPERATOR: u64 = 2;
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const ORACLE: u64 = 100;

/// Wall-clock time of the tests' first block: 2026-01-01T00:00:00Z, in ms.
pub const NOW_MS: u64 = 1_767_225_600_000;

/// A chain at block 1 with zone 0 ("North", run by `OPERATOR`) and zone 1 ("South", run by
/// `OTHER_OPERATOR`); no meters, no oracles.
pub fn genesis_ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		meters: pallet_meters::GenesisConfig {
			zones: vec![(b"North".to_vec(), OPERATOR), (b"South".to_vec(), OTHER_OPERATOR)],
			..Default::default()
		},
		..Default::default()
	}
	.build_storage()
	.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		pallet_timestamp::Now::<Test>::put(NOW_MS);
	});
	ext
}

/// The test state: [`genesis_ext`], with the pallet's invariants (`do_try_state`) checked after
/// every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(genesis_ext(), Meters::do_try_state)
}
