//! A test runtime with the registry, the credit token and the readings: accounts are
//! `AccountId32`, oracles sign with `MultiSignature` as on the real chain.

use crate as pallet_readings;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	assert_ok, derive_impl,
	traits::{ConstU32, ConstU64},
};
use peergrid_primitives::{Baseline, IntervalIndex, MeterId, MeterKind, Registers, Wh};
use scale_info::TypeInfo;
use sp_core::{ecdsa, Pair, H256};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};
use sp_runtime::{
	traits::{IdentifyAccount, IdentityLookup},
	AccountId32, BuildStorage, MultiSignature, MultiSigner,
};

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
	#[runtime::pallet_index(3)]
	pub type Credits = pallet_credits;
	#[runtime::pallet_index(4)]
	pub type Readings = pallet_readings;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountId = AccountId32;
	type Lookup = IdentityLookup<AccountId32>;
	/// As the runtime's: the refunds of `submit_readings` are in database weight.
	type DbWeight = frame_support::weights::constants::ParityDbWeight;
}

#[derive_impl(pallet_timestamp::config_preludes::TestDefaultConfig)]
impl pallet_timestamp::Config for Test {}

impl pallet_meters::Config for Test {
	type AdminOrigin = frame_system::EnsureRoot<AccountId32>;
	type UnixTime = Timestamp;
	type IntervalSeconds = ConstU64<900>;
	type MaxMetersPerOwner = ConstU32<8>;
	type MaxZonesPerOracle = ConstU32<4>;
	type WeightInfo = pallet_meters::weights::SubstrateWeight<Test>;
}

/// The test runtime's one hold reason.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum TestHold {
	SellOrder,
}

impl pallet_credits::Config for Test {
	type RuntimeHoldReason = TestHold;
	type MaxHolds = ConstU32<2>;
	type WeightInfo = pallet_credits::weights::SubstrateWeight<Test>;
}

impl pallet_readings::Config for Test {
	type Meters = Meters;
	type Credits = Credits;
	type Consumption = Credits;
	type Delivery = MockDelivery;
	type UnixTime = Timestamp;
	type Signature = MultiSignature;
	type Signer = MultiSigner;
	type IntervalSeconds = ConstU64<900>;
	type MaxBatchSize = ConstU32<8>;
	type WeightInfo = pallet_readings::weights::SubstrateWeight<Test>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = BenchmarkOracles;
}

frame_support::parameter_types! {
	/// The delivery auction's one allocation in the tests: (meter, interval, Wh), if any.
	pub static Allocation: Option<(MeterId, IntervalIndex, Wh)> = None;
	/// What the readings reported to the auction: (meter, interval, exported).
	pub static Reported: Vec<(MeterId, IntervalIndex, Wh)> = vec![];
}

/// A delivery auction with the one allocation [`Allocation`]: it keeps up to the allocation
/// of its meter's export in its interval.
pub struct MockDelivery;

impl peergrid_primitives::DeliveryLedger for MockDelivery {
	fn deliver(meter: MeterId, interval: IntervalIndex, exported: Wh) -> Option<Wh> {
		Reported::mutate(|r| r.push((meter, interval, exported)));
		match Allocation::get() {
			Some((m, i, wh)) if (m, i) == (meter, interval) => Some(exported.min(wh)),
			_ => None,
		}
	}
	fn deliver_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
	fn miss_weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(100, 0)
	}
}

/// The benchmarks' oracles: sr25519 keys in the test keystore.
#[cfg(feature = "runtime-benchmarks")]
pub struct BenchmarkOracles;

#[cfg(feature = "runtime-benchmarks")]
impl crate::benchmarking::BenchmarkHelper<AccountId32, MultiSignature> for BenchmarkOracles {
	fn oracle(i: u32) -> AccountId32 {
		crate::benchmarking::sr25519_oracle(i)
	}
	fn sign(oracle: &AccountId32, payload: &[u8]) -> Option<MultiSignature> {
		crate::benchmarking::sr25519_sign(oracle, payload)
	}
	fn set_time(secs: u64) {
		set_time(secs);
	}
}

/// An empty chain with a keystore, for the benchmarks.
#[cfg(feature = "runtime-benchmarks")]
pub fn bench_ext() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Test>::default()
		.build_storage()
		.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.register_extension(sp_keystore::KeystoreExt::new(
		sp_keystore::testing::MemoryKeystore::new(),
	));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// The genesis hash oracles sign for in these tests.
pub const GENESIS: H256 = H256::repeat_byte(0xaa);
/// 2026-01-01T00:00:00Z in seconds: the start of interval 1_963_584.
pub const T0: u64 = 1_767_225_600;
/// The interval the meters are registered in.
pub const FIRST: u64 = T0 / 900;

pub const OPERATOR: Sr25519Keyring = Sr25519Keyring::Charlie;
pub const OTHER_OPERATOR: Sr25519Keyring = Sr25519Keyring::Dave;
pub const ALICE: Sr25519Keyring = Sr25519Keyring::Alice;
pub const BOB: Sr25519Keyring = Sr25519Keyring::Bob;

/// Meter 0: Alice's 5 kW bidirectional meter in zone 0, registers (1000, 2000) at the end of
/// interval `FIRST - 1`.
pub const PROSUMER: u64 = 0;
/// Meter 1: Bob's consumption meter in zone 0, registers (0, 0) at the end of `FIRST - 1`.
pub const CONSUMER: u64 = 1;
/// Meter 2: Alice's production meter in zone 1, without a baseline.
pub const SOUTH_METER: u64 = 2;

/// The keys that sign readings in the tests.
#[derive(Clone)]
pub enum Oracle {
	/// An sr25519 key, authorized for zone 0.
	Sr(Sr25519Keyring),
	/// An ed25519 key, authorized for zone 0.
	Ed(Ed25519Keyring),
	/// An ecdsa key, authorized for zone 0.
	Ecdsa(ecdsa::Pair),
}

impl Oracle {
	pub fn account(&self) -> AccountId32 {
		match self {
			Oracle::Sr(k) => k.to_account_id(),
			Oracle::Ed(k) => k.to_account_id(),
			Oracle::Ecdsa(p) => MultiSigner::from(p.public()).into_account(),
		}
	}

	pub fn sign(&self, payload: &[u8]) -> MultiSignature {
		match self {
			Oracle::Sr(k) => k.sign(payload).into(),
			Oracle::Ed(k) => k.sign(payload).into(),
			Oracle::Ecdsa(p) => p.sign(payload).into(),
		}
	}
}

/// Zone 0's sr25519 oracle.
pub fn oracle() -> Oracle {
	Oracle::Sr(Sr25519Keyring::Ferdie)
}
/// Zone 0's ed25519 oracle.
pub fn ed_oracle() -> Oracle {
	Oracle::Ed(Ed25519Keyring::Eve)
}
/// Zone 0's ecdsa oracle.
pub fn ecdsa_oracle() -> Oracle {
	Oracle::Ecdsa(ecdsa::Pair::from_string("//MeterHeadEnd", None).expect("a valid dev seed"))
}
/// Zone 1's oracle, not authorized for zone 0.
pub fn south_oracle() -> Oracle {
	Oracle::Sr(Sr25519Keyring::Two)
}
/// A key that is no oracle at all.
pub fn stranger() -> Oracle {
	Oracle::Sr(Sr25519Keyring::One)
}

/// Sets the wall clock to `secs` since the Unix epoch.
pub fn set_time(secs: u64) {
	pallet_timestamp::Now::<Test>::put(secs * 1000);
}

/// Zones 0 (run by `OPERATOR`) and 1 (run by `OTHER_OPERATOR`), the oracles above, and the
/// three meters registered at `T0`; the clock then stands at `T0` + 10 intervals.
pub fn genesis_ext() -> sp_io::TestExternalities {
	let zone0 = vec![0];
	let storage = RuntimeGenesisConfig {
		meters: pallet_meters::GenesisConfig {
			zones: vec![
				(b"North".to_vec(), OPERATOR.to_account_id()),
				(b"South".to_vec(), OTHER_OPERATOR.to_account_id()),
			],
			meters: vec![],
			oracles: vec![
				(oracle().account(), zone0.clone()),
				(ed_oracle().account(), zone0.clone()),
				(ecdsa_oracle().account(), zone0),
				(south_oracle().account(), vec![1]),
			],
		},
		..Default::default()
	}
	.build_storage()
	.expect("the test genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		frame_system::BlockHash::<Test>::insert(0, GENESIS);
		set_time(T0);
		let register =
			|operator: Sr25519Keyring, zone, id: &[u8], owner: Sr25519Keyring, kind, baseline| {
				assert_ok!(Meters::register_meter(
					RuntimeOrigin::signed(operator.to_account_id()),
					zone,
					id.to_vec().try_into().expect("short id"),
					owner.to_account_id(),
					kind,
					5_000,
					baseline,
				));
			};
		let at = |imported_wh, exported_wh| {
			Some(Baseline {
				interval: FIRST - 1,
				registers: Registers { imported_wh, exported_wh },
			})
		};
		register(OPERATOR, 0, b"EAN-PROSUMER", ALICE, MeterKind::Bidirectional, at(1_000, 2_000));
		register(OPERATOR, 0, b"EAN-CONSUMER", BOB, MeterKind::Consumption, at(0, 0));
		register(OTHER_OPERATOR, 1, b"EAN-SOUTH", ALICE, MeterKind::Production, None);
		set_time(T0 + 10 * 900);
		System::reset_events();
	});
	ext
}

/// The test state: [`genesis_ext`], with the pallet's invariants (`do_try_state`) checked after
/// every test.
pub fn new_test_ext() -> peergrid_primitives::CheckedExternalities {
	peergrid_primitives::CheckedExternalities::new(genesis_ext(), Readings::do_try_state)
}
