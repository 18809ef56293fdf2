//! A test runtime with balances, the meter registry, the credits and the auction: accounts
//! are `u64`, balances `u64`.

use crate as pallet_auction;
use frame_support::{derive_impl, parameter_types, traits::ConstU32, weights::Weight};
use peergrid_primitives::{IntervalIndex, MeterId, MeterKind, ZoneId};
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
	pub type Auction = pallet_auction;
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
	type IntervalSeconds = IntervalSeconds;
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
	pub const IntervalSeconds: u64 = 900;
	pub static ExistentialDeposit: u64 = 1;
	pub static OrderDeposit: u64 = 0;
	pub static CollateralPrice: u64 = COLLATERAL;
	pub static PenaltyPrice: u64 = PENALTY;
	pub static MaxPriceLevels: u32 = 8;
	pub static MaxOrdersPerProduct: u32 = 64;
	pub static MaxDue: u32 = 8;
	pub static MaxStandingPerZone: u32 = 3;
	pub static StandingDeposit: u64 = DEFAULT_STANDING_DEPOSIT;
	pub const AuctionId: frame_support::PalletId = frame_support::PalletId(*b"pg/auctn");
}

impl pallet_auction::Config for Test {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Credits = Credits;
	type Meters = Meters;
	type Signature = sp_runtime::testing::TestSignature;
	type Signer = sp_runtime::testing::UintAuthorityId;
	type MaxBatchSize = ConstU32<16>;
	type UnixTime = Timestamp;
	type IntervalSeconds = IntervalSeconds;
	type OrderWindow = frame_support::traits::ConstU64<WINDOW>;
	type GateClosure = frame_support::traits::ConstU64<GATE>;
	type DeliveryDeadline = frame_support::traits::ConstU64<DEADLINE>;
	type OrderDeposit = OrderDeposit;
	type CollateralPrice = CollateralPrice;
	type PenaltyPrice = PenaltyPrice;
	type MaxPriceLevels = MaxPriceLevels;
	type MaxOrdersPerProduct = MaxOrdersPerProduct;
	type MaxOpenIntervals = ConstU32<200>;
	type MaxDue = MaxDue;
	type MaxStandingPerZone = MaxStandingPerZone;
	type MaxStandingZones = ConstU32<1>;
	type StandingDeposit = StandingDeposit;
	type PalletId = AuctionId;
	type WeightInfo = pallet_auction::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkTraders;
}

/// The benchmarks' traders: accounts from 1,000 on, signing with test signatures.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkTraders;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<u64, sp_runtime::testing::TestSignature>
	for BenchmarkTraders
{
	fn trader(i: u32) -> u64 {
		1_000 + u64::from(i)
	}
	fn sign(trader: &u64, payload: &[u8]) -> Option<sp_runtime::testing::TestSignature> {
		Some(sp_runtime::testing::TestSignature(*trader, payload.to_vec()))
	}
	fn set_time(secs: u64) {
		pallet_timestamp::Now::<Test>::put(secs * 1_000);
	}
}

/// The benchmarks' state: no zone, no meter, no funds.
#[cfg(feature = "runtime-benchmarks")]
pub fn new_bench_ext() -> sp_io::TestExternalities {
	ext_with(&[])
}

/// Orders open 96 intervals (a day) ahead, close 4 (an hour) ahead, and settle at the latest
/// 8 intervals after the interval.
pub const WINDOW: u64 = 96;
pub const GATE: u64 = 4;
pub const DEADLINE: u64 = 8;
/// An offer's collateral and a shortfall's penalty, per kWh.
pub const COLLATERAL: u64 = 50_000;
pub const PENALTY: u64 = 40_000;
/// What a standing order holds.
pub const DEFAULT_STANDING_DEPOSIT: u64 = 7_000;
/// The interval the tests start in.
pub const START: IntervalIndex = 2_000_000;

/// Operators of zones 0 (North) and 1 (South).
pub const NORTH_OP: u64 = 1;
pub const SOUTH_OP: u64 = 2;
pub const NORTH: ZoneId = 0;
pub const SOUTH: ZoneId = 1;
/// Traders and their meters (ids in this order, from 0): Alice (producer), Bob
/// (bidirectional), Charlie (consumer) in North; Dave (bidirectional) in South. Ferdie has
/// no meter.
pub const ALICE: u64 = 10;
pub const BOB: u64 = 11;
pub const CHARLIE: u64 = 12;
pub const DAVE: u64 = 13;
pub const FERDIE: u64 = 15;
pub const ALICE_METER: MeterId = 0;
pub const BOB_METER: MeterId = 1;
pub const CHARLIE_METER: MeterId = 2;
pub const DAVE_METER: MeterId = 3;
/// Every meter's rated power, in W: 2,500 Wh an interval.
pub const CAPACITY_W: u32 = 10_000;
/// Each trader's currency at the start.
pub const FUNDS: u64 = 1_000_000_000;

/// The mock's traders: (account, zone, meter kind).
pub const TRADERS: [(u64, ZoneId, MeterKind); 4] = [
	(ALICE, NORTH, MeterKind::Production),
	(BOB, NORTH, MeterKind::Bidirectional),
	(CHARLIE, NORTH, MeterKind::Consumption),
	(DAVE, SOUTH, MeterKind::Bidirectional),
];

/// A chain at block 1 in interval [`START`], with two zones, the traders' meters (meter `i`
/// is `traders[i]`'s), and funds for them and for Ferdie.
pub fn ext_with(traders: &[(u64, ZoneId, MeterKind)]) -> sp_io::TestExternalities {
	let mut balances: Vec<(u64, u64)> = traders.iter().map(|(a, _, _)| (*a, FUNDS)).collect();
	balances.extend([(NORTH_OP, 1_000), (SOUTH_OP, 1_000), (FERDIE, FUNDS)]);
	let storage = RuntimeGenesisConfig {
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		meters: pallet_meters::GenesisConfig {
			zones: vec![(b"North".to_vec(), NORTH_OP), (b"South".to_vec(), SOUTH_OP)],
			meters: traders
				.iter()
				.map(|(owner, zone, kind)| {
					(*zone, format!("M{owner}").into_bytes(), *owner, *kind, CAPACITY_W)
				})
				.collect(),
			oracles: vec![],
		},
		..Default::default()
	}
	.build_storage()
	.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		set_interval(START);
	});
	ext
}

/// The test state: the mock's traders, with the pallet's invariants (`do_try_state`) checked
/// after every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(ext_with(&TRADERS), Auction::do_try_state)
}

/// Moves the clock to the start of `interval`.
pub fn set_interval(interval: IntervalIndex) {
	pallet_timestamp::Now::<Test>::put(interval * IntervalSeconds::get() * 1_000);
}

/// Runs the auction's hooks with `limit` of spare weight, in a new block.
pub fn idle(limit: Weight) -> Weight {
	use frame_support::traits::Hooks;
	let block = System::block_number() + 1;
	System::set_block_number(block);
	Auction::on_idle(block, limit)
}

/// The auction's events so far in this block.
pub fn auction_events() -> Vec<pallet_auction::Event<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Auction(e) => Some(e),
			_ => None,
		})
		.collect()
}
