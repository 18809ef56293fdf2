//! A test runtime with the validator set: accounts are `u64`; accounts 1 to 9 have session keys.

use crate as pallet_validators;
use frame_support::{
	derive_impl,
	traits::{ConstU32, ConstU64, Contains},
};
use frame_system::EnsureRoot;
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
	pub type Validators = pallet_validators;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Accounts 1 to 9 have registered session keys; 10 and above have not.
pub struct KeysOf1To9;
impl Contains<u64> for KeysOf1To9 {
	fn contains(who: &u64) -> bool {
		(1..10).contains(who)
	}
}

impl pallet_validators::Config for Test {
	type AdminOrigin = EnsureRoot<u64>;
	type HasSessionKeys = KeysOf1To9;
	type MaxValidators = ConstU32<5>;
	type MinValidators = ConstU32<3>;
	type MinSessionLength = ConstU64<10>;
	type MaxSessionLength = ConstU64<1_000>;
	type ReportableSessions = ConstU32<3>;
	type SessionHistory = ();
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Test>;
}

/// A member of the genesis set and one outside it, both with keys.
pub const V1: u64 = 1;
pub const OUTSIDER: u64 = 6;
/// An account without session keys.
pub const KEYLESS: u64 = 42;

/// Genesis: validators 1 to 4, sessions of 20 blocks.
pub fn genesis_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the test genesis builds");
	pallet_validators::GenesisConfig::<Test> { validators: vec![4, 2, 3, 1], session_length: 20 }
		.assimilate_storage(&mut storage)
		.expect("the validator genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The test state: [`genesis_ext`], with the pallet's invariants (`do_try_state`) checked after
/// every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(genesis_ext(), Validators::do_try_state)
}
