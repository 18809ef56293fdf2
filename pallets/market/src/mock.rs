//! A test runtime with balances, the meter registry, the credits and the market: accounts are
//! `u64`, balances `u64`.

use crate as pallet_market;
use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::Mutate, ConstU32, ConstU64},
};
use peergrid_primitives::MeterKind;
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeHoldReason,
		RuntimeFreezeReason
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;
	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(3)]
	pub type Meters = pallet_meters;
	#[runtime::pallet_index(4)]
	pub type Credits = pallet_credits;
	#[runtime::pallet_index(5)]
	pub type Market = pallet_market;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
	/// Weights that count database access, as the runtime's do.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type ExistentialDeposit = ExistentialDeposit;
}

impl pallet_meters::Config for Test {
	type AdminOrigin = frame_system::EnsureRoot<u64>;
	type UnixTime = Timestamp;
	type IntervalSeconds = ConstU64<900>;
	type MaxMetersPerOwner = ConstU32<4>;
	type MaxZonesPerOracle = ConstU32<4>;
	type WeightInfo = pallet_meters::weights::SubstrateWeight<Test>;
}

impl pallet_credits::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxHolds = ConstU32<4>;
	type WeightInfo = pallet_credits::weights::SubstrateWeight<Test>;
}

parameter_types! {
	pub static OrderDeposit: u64 = DEPOSIT;
	pub static MinOrderAmount: u64 = 1;
	pub static MaxOrdersPerAccount: u32 = 4;
	pub static MaxOrdersPerBook: u32 = 5;
	pub static MaxFills: u32 = 3;
	pub static MaxExpiriesPerBlock: u32 = 2;
	pub static MaxRoutesPerZone: u32 = 2;
	pub static ExistentialDeposit: u64 = 1;
	pub const MarketId: frame_support::PalletId = frame_support::PalletId(*b"pg/markt");
}

impl pallet_market::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Credits = Credits;
	type Meters = Meters;
	type AdminOrigin = frame_system::EnsureRoot<u64>;
	type OrderDeposit = OrderDeposit;
	type MinOrderAmount = MinOrderAmount;
	type MaxOrdersPerAccount = MaxOrdersPerAccount;
	type MaxOrdersPerBook = MaxOrdersPerBook;
	type MaxFills = MaxFills;
	type MaxExpiriesPerBlock = MaxExpiriesPerBlock;
	type MaxRoutesPerZone = MaxRoutesPerZone;
	type PalletId = MarketId;
	type WeightInfo = pallet_market::weights::SubstrateWeight<Test>;
}

/// Operators of zones 0 (North), 1 (South) and 2 (East).
pub const NORTH_OP: u64 = 1;
pub const SOUTH_OP: u64 = 2;
pub const EAST_OP: u64 = 3;
pub const NORTH: u32 = 0;
pub const SOUTH: u32 = 1;
pub const EAST: u32 = 2;
/// Traders: Alice and Bob have meters in North, Charlie and Dave in South, Eve in East;
/// Ferdie has no meter.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CHARLIE: u64 = 12;
pub const DAVE: u64 = 13;
pub const EVE: u64 = 14;
pub const FERDIE: u64 = 15;
pub const TRADERS: [u64; 6] = [ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE];
/// Every account the tests use.
pub const ACCOUNTS: [u64; 9] =
	[NORTH_OP, SOUTH_OP, EAST_OP, ALICE, BOB, CHARLIE, DAVE, EVE, FERDIE];

/// Each trader's currency and credits at the start.
pub const FUNDS: u64 = 1_000_000_000;
pub const CREDITS: u64 = 100_000;
/// Each operator's currency at the start.
pub const OPERATOR_FUNDS: u64 = 1_000;
/// The deposit per open order.
pub const DEPOSIT: u64 = 100;

/// A chain at block 1 with three zones, a meter per trader but Ferdie, funds and credits.
pub fn genesis_ext() -> sp_io::TestExternalities {
	let meter = |zone, id: &str, owner| {
		(zone, id.as_bytes().to_vec(), owner, MeterKind::Bidirectional, 10_000)
	};
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig {
			balances: ACCOUNTS
				.iter()
				.map(|&a| (a, if a < ALICE { OPERATOR_FUNDS } else { FUNDS }))
				.collect(),
			..Default::default()
		},
		meters: pallet_meters::GenesisConfig {
			zones: vec![
				(b"North".to_vec(), NORTH_OP),
				(b"South".to_vec(), SOUTH_OP),
				(b"East".to_vec(), EAST_OP),
			],
			meters: vec![
				meter(NORTH, "A", ALICE),
				meter(NORTH, "B", BOB),
				meter(SOUTH, "C", CHARLIE),
				meter(SOUTH, "D", DAVE),
				meter(EAST, "E", EVE),
			],
			oracles: vec![],
		},
		..Default::default()
	}
	.build_storage()
	.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		for trader in TRADERS {
			<Credits as Mutate<u64>>::mint_into(&trader, CREDITS).expect("credits mint");
		}
	});
	ext
}

/// The test state: [`genesis_ext`], with the pallet's invariants (`do_try_state`) checked after
/// every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(genesis_ext(), Market::do_try_state)
}
