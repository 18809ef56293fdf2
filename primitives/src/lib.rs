//! # PeerGrid primitives
//!
//! What the PeerGrid pallets share without depending on each other's storage: identifiers,
//! the meter registry as the readings and market pallets see it, and the energy ledger that
//! readings write to.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod api;
pub mod auction;
pub mod migration;
pub mod reading;

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};
use sp_weights::{RuntimeDbWeight, Weight};

/// A grid zone (a feeder or distribution area), numbered from 0 in order of creation.
pub type ZoneId = u32;
/// A meter, numbered from 0 in order of registration.
pub type MeterId = u64;
/// A market order, numbered from 0 in order of placement.
pub type OrderId = u64;
/// An amount of energy in watt-hours. One energy credit is one Wh.
pub type Wh = u64;
/// A settlement interval: the number of whole interval lengths since the Unix epoch.
pub type IntervalIndex = u64;

/// The longest zone name, in bytes.
pub const MAX_ZONE_NAME_LEN: u32 = 64;
/// The longest external meter identifier (the utility's own meter number), in bytes.
pub const MAX_EXTERNAL_ID_LEN: u32 = 64;

/// What a meter measures.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum MeterKind {
	/// Takes energy from the grid only: it never earns credits.
	Consumption,
	/// A generator's meter: exports, and imports only for its own auxiliary load.
	Production,
	/// A prosumer's meter: imports and exports.
	Bidirectional,
}

/// Whether a meter's readings are accepted.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum MeterStatus {
	/// Readings are accepted.
	Active,
	/// Readings are refused until the zone operator reactivates the meter.
	Suspended,
	/// Decommissioned for good: readings are refused and the status cannot change again.
	Retired,
}

/// A meter's two cumulative registers, in Wh. Neither ever decreases.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug, Serialize, Deserialize)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[serde(rename_all = "camelCase")]
pub struct Registers {
	/// Energy taken from the grid since the meter was installed.
	pub imported_wh: Wh,
	/// Energy put into the grid since the meter was installed.
	pub exported_wh: Wh,
}

/// The moment `interval` ends, in seconds since the Unix epoch, for intervals of `length`
/// seconds; `None` beyond the end of time.
pub fn interval_end(interval: IntervalIndex, length: u64) -> Option<u64> {
	interval.checked_add(1)?.checked_mul(length)
}

/// A meter's registers at the end of a known settlement interval: where its readings start.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Baseline {
	/// The settlement interval at whose end the registers were read.
	pub interval: IntervalIndex,
	/// The registers then.
	pub registers: Registers,
}

/// What the readings pallet needs to know of a registered meter.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct MeterView<AccountId> {
	/// Who receives the meter's credits and is charged its consumption.
	pub owner: AccountId,
	/// The zone the meter is connected in.
	pub zone: ZoneId,
	/// What it measures.
	pub kind: MeterKind,
	/// Whether its readings are accepted.
	pub status: MeterStatus,
	/// The most power it can carry, in W: bounds the energy of a plausible reading.
	pub capacity_w: u32,
	/// Its registers at a known interval, from which its first reading counts; `None` if
	/// unknown, in which case its first reading sets the baseline and mints nothing.
	pub baseline: Option<Baseline>,
}

/// The meter registry, as the pallets that use meters see it.
pub trait MeterRegistry<AccountId> {
	/// The meter `meter`, if registered.
	fn meter(meter: MeterId) -> Option<MeterView<AccountId>>;
	/// Whether `oracle` is authorized to sign readings of meters in `zone`. `None` if `oracle`
	/// is not an oracle at all.
	fn oracle_may_sign(oracle: &AccountId, zone: ZoneId) -> Option<bool>;
	/// The utility that runs `zone`, if the zone exists.
	fn zone_operator(zone: ZoneId) -> Option<AccountId>;
	/// Whether `who` owns an active meter in `zone`, and how many meter records the answer
	/// took to read (for the weight of the calls that ask).
	fn has_active_meter_in(who: &AccountId, zone: ZoneId) -> (bool, u32);
	/// The most meters one owner may have: the most records `has_active_meter_in` reads.
	fn max_meters_per_owner() -> u32;

	/// Benchmark setup: a new zone run by `operator`.
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_zone(operator: &AccountId) -> Result<ZoneId, sp_runtime::DispatchError>;
	/// Benchmark setup: a new active meter of `owner` in `zone`, of `capacity_w` W, whose
	/// readings count from `baseline`.
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_meter(
		zone: ZoneId,
		owner: &AccountId,
		kind: MeterKind,
		capacity_w: u32,
		baseline: Option<Baseline>,
	) -> Result<MeterId, sp_runtime::DispatchError>;
	/// Benchmark setup: authorizes `oracle` for `zones`.
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_oracle(oracle: &AccountId, zones: &[ZoneId]) -> sp_runtime::DispatchResult;
	/// Benchmark setup: the most zones one oracle may sign for.
	#[cfg(feature = "runtime-benchmarks")]
	fn bench_max_zones_per_oracle() -> u32;
}

/// The energy ledger that accepted readings write to: the metered consumption that credits
/// can later be retired against.
pub trait ConsumptionLedger<AccountId> {
	/// Records `amount` Wh of metered consumption of `who`.
	fn record_consumption(who: &AccountId, amount: Wh) -> sp_runtime::DispatchResult;
}

/// The delivery auction's ledger, asked by the readings pallet before it mints a meter's
/// export: energy delivered against the auction's allocations goes to the buyers, so the
/// meter's owner is minted only the rest and no energy is counted twice.
pub trait DeliveryLedger {
	/// Records that `meter` exported `exported` Wh in `interval`, and returns how much of it
	/// was delivered against the allocations of its owner's offers (at most `exported`);
	/// `None` if the meter has no allocation in the interval, which costs one read
	/// ([`DeliveryLedger::miss_weight`]).
	fn deliver(meter: MeterId, interval: IntervalIndex, exported: Wh) -> Option<Wh>;
	/// The most `deliver` can weigh: the readings pallet declares it for every reading.
	fn deliver_weight() -> Weight;
	/// What `deliver` weighs for a meter with no allocation: the readings pallet refunds
	/// the rest of `deliver_weight` for each such reading.
	fn miss_weight() -> Weight;
}

/// No auction: nothing is delivered against allocations.
impl DeliveryLedger for () {
	fn deliver(_: MeterId, _: IntervalIndex, _: Wh) -> Option<Wh> {
		None
	}
	fn deliver_weight() -> Weight {
		Weight::zero()
	}
	fn miss_weight() -> Weight {
		Weight::zero()
	}
}

/// Computation and proof size that the estimated weights charge for each storage item a call
/// touches: 25 µs and 4 KiB, well above what the pallets' small records take.
pub const WEIGHT_PER_ITEM: Weight = Weight::from_parts(25_000_000, 4_096);

/// The estimated weight of a call that reads `reads` storage items and writes `writes`, at the
/// runtime's database weights `db`. Used by the validator set's calls, which have no
/// benchmarks yet; the energy pallets' weights are measured.
pub fn estimated_weight(db: RuntimeDbWeight, reads: u64, writes: u64) -> Weight {
	WEIGHT_PER_ITEM
		.saturating_mul(reads.saturating_add(writes))
		.saturating_add(db.reads_writes(reads, writes))
}

/// The state a pallet's unit tests run in, whose invariants are checked after every use: a
/// test passes only if it leaves the pallet's `try_state` invariants intact.
#[cfg(feature = "std")]
pub struct CheckedExternalities {
	ext: sp_io::TestExternalities,
	invariants: fn() -> Result<(), sp_runtime::TryRuntimeError>,
}

#[cfg(feature = "std")]
impl CheckedExternalities {
	/// `ext`, checked with `invariants` (a pallet's `do_try_state`).
	pub fn new(
		ext: sp_io::TestExternalities,
		invariants: fn() -> Result<(), sp_runtime::TryRuntimeError>,
	) -> Self {
		CheckedExternalities { ext, invariants }
	}

	/// Runs `test` in the state, then checks the invariants.
	pub fn execute_with<R>(&mut self, test: impl FnOnce() -> R) -> R {
		let result = self.ext.execute_with(test);
		let invariants = self.invariants;
		self.ext.execute_with(|| {
			if let Err(broken) = invariants() {
				panic!("the test left the invariants broken: {broken:?}");
			}
		});
		result
	}
}

/// A small deterministic generator (xorshift64*) for property tests and fuzz inputs: the same
/// seed gives the same sequence, so a failure replays exactly. Not for anything secret.
#[cfg(feature = "std")]
pub struct Xorshift(pub u64);

#[cfg(feature = "std")]
impl Xorshift {
	/// The next number of the sequence.
	pub fn next_u64(&mut self) -> u64 {
		self.0 ^= self.0 >> 12;
		self.0 ^= self.0 << 25;
		self.0 ^= self.0 >> 27;
		self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
	}

	/// A number below `n` (which must not be 0).
	pub fn below(&mut self, n: u64) -> u64 {
		self.next_u64() % n
	}
}
