//! A test runtime with the credit token: accounts are `u64`.

use crate as pallet_credits;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{derive_impl, traits::ConstU32};
use scale_info::TypeInfo;
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
	pub type Credits = pallet_credits;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

/// Hold reasons of the test runtime.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum TestHold {
	SellOrder,
	Other,
	Third,
}

impl pallet_credits::Config for Test {
	type RuntimeHoldReason = TestHold;
	type MaxHolds = ConstU32<2>;
	type WeightInfo = pallet_credits::weights::SubstrateWeight<Test>;
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;

pub fn genesis_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The test state: [`genesis_ext`], with the pallet's invariants (`do_try_state`) checked after
/// every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(genesis_ext(), Credits::do_try_state)
}
