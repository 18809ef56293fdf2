#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
mod impls;
use impls::Written;
pub mod migrations;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::readings";

/// Oracle-signed interval readings of smart meters: exports minted as credits, imports recorded
/// as consumption, each reading's history in its event.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{fungible, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use peergrid_primitives::{
		ConsumptionLedger, DeliveryLedger, IntervalIndex, MeterId, MeterRegistry, Registers, Wh,
	};
	use sp_runtime::traits::{IdentifyAccount, Verify};

	/// A signed reading as this runtime's calls take it.
	pub type SignedReadingOf<T> =
		SignedReading<<T as frame_system::Config>::AccountId, <T as Config>::Signature>;

	/// The readings of a batch signed as a whole.
	pub type ReadingsOf<T> = BoundedVec<Reading, <T as Config>::MaxBatchSize>;

	/// The storage layout's version: 2 keeps no zone totals (version 0 kept them for every
	/// interval, 1 for the most recent ones; see [`crate::migrations`]). They are in the
	/// `ReadingAccepted` events.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The meter registry: meters, their owners and zones, and the oracles.
		type Meters: MeterRegistry<Self::AccountId>;
		/// The energy credit token, minted for exported energy.
		type Credits: fungible::Mutate<Self::AccountId, Balance = Wh>;
		/// Where imported energy is recorded as consumption.
		type Consumption: ConsumptionLedger<Self::AccountId>;
		/// The delivery auction: asked, before the export is minted, how much of it was
		/// delivered against the meter's allocation in the reading's interval.
		type Delivery: DeliveryLedger;
		/// The wall clock, to refuse readings of intervals that have not ended.
		type UnixTime: UnixTime;
		/// An oracle's signature (sr25519, ed25519 or ecdsa).
		type Signature: Verify<Signer = Self::Signer> + Parameter + MaxEncodedLen;
		/// The key behind an oracle signature; its account is the oracle's identity.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;
		/// The length of a settlement interval, in seconds (900: 15 minutes).
		#[pallet::constant]
		type IntervalSeconds: Get<u64>;
		/// The most readings one batch may carry.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;
		/// Weights of the calls and of their validation in the transaction pool.
		type WeightInfo: WeightInfo;
		/// Oracle keys, signatures and the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// Each meter's last accepted reading and totals; absent until its first reading.
	#[pallet::storage]
	pub type MeterStates<T> = StorageMap<_, Twox64Concat, MeterId, MeterState>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A reading was accepted: its export minted credits to the meter's owner and its
		/// import was recorded as the owner's consumption.
		ReadingAccepted {
			/// The meter.
			meter: MeterId,
			/// The settlement interval.
			interval: IntervalIndex,
			/// The oracle that signed it.
			oracle: T::AccountId,
			/// The meter's owner.
			owner: T::AccountId,
			/// The registers read.
			registers: Registers,
			/// Energy imported since the last reading (Wh), recorded as consumption.
			consumed_wh: Wh,
			/// Energy exported since the last reading (Wh), minted as credits.
			credits_minted: Wh,
		},
		/// A reading of a batch was rejected; it changed nothing.
		ReadingRejected {
			/// The meter it names.
			meter: MeterId,
			/// The settlement interval it names.
			interval: IntervalIndex,
			/// The oracle it names.
			oracle: T::AccountId,
			/// Why: one of this pallet's errors.
			error: DispatchError,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No meter has this id.
		UnknownMeter,
		/// The meter is suspended or retired: its readings are refused.
		MeterNotActive,
		/// The signer is not an authorized oracle.
		UnknownOracle,
		/// The oracle is not authorized for the meter's zone.
		OracleNotAuthorizedForZone,
		/// The signature does not match the reading (or the batch), the oracle and this chain.
		BadSignature,
		/// The interval has not ended yet.
		IntervalInFuture,
		/// The interval is not after the meter's last accepted reading or its baseline (a
		/// replay or an old reading).
		IntervalNotNewer,
		/// A register is lower than in the meter's last reading: cumulative registers never
		/// decrease.
		RegisterDecreased,
		/// More energy than the meter's rated capacity allows in the time since its last
		/// reading, or an export on a consumption-only meter.
		ImplausibleDelta,
		/// A batch must carry at least one reading.
		EmptyBatch,
		/// A total would overflow.
		Overflow,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::IntervalSeconds::get() > 0, "settlement intervals must have a length");
			assert!(T::MaxBatchSize::get() > 0, "a batch must be able to carry a reading");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Submit a batch of oracle-signed readings.
		///
		/// ## Dispatch Origin
		/// Anyone: a general transaction that needs no signature and pays no fee (a relayer
		/// submits it for the oracles), or a signed transaction that pays the usual fee.
		///
		/// ## Details
		/// As a general transaction (no fee), a batch enters the transaction pool only if every
		/// one of its readings is valid (a meter's readings in one batch are checked in order,
		/// each against the one before); the first invalid reading refuses the whole batch with
		/// its reason. Each reading provides the tag `(meter, interval)`, so the pool keeps one
		/// copy of a reading. In the block, each reading is checked again and accepted or
		/// rejected on its own: an accepted reading mints its export since the meter's last
		/// reading as credits to the meter's owner and records its import as the owner's
		/// consumption; a rejected one (one that became invalid since, or any bad reading of a
		/// batch a relayer signed and paid for) changes nothing and gets a `ReadingRejected`
		/// event with the reason.
		///
		/// ## Errors
		/// - `EmptyBatch`. Per reading (in `ReadingRejected`): see `submit_reading`.
		///
		/// The weight is that of `n` readings each of which writes its own owner's credit
		/// account; a reading that writes an account an earlier reading of the batch wrote (or
		/// is rejected) is refunded that read and write: a batch of each household's readings
		/// together costs less than one that spans many households.
		///
		/// ## Events
		/// - `ReadingAccepted` or `ReadingRejected`, one per reading, in batch order.
		#[pallet::call_index(0)]
		#[pallet::authorize(Self::authorize_batch)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_readings(readings.len() as u32))]
		#[pallet::weight(Pallet::<T>::with_delivery(T::WeightInfo::submit_readings(readings.len() as u32), readings.len() as u32))]
		pub fn submit_readings(
			origin: OriginFor<T>,
			readings: BoundedVec<SignedReadingOf<T>, T::MaxBatchSize>,
		) -> DispatchResultWithPostInfo {
			Self::ensure_relayer(origin)?;
			ensure!(!readings.is_empty(), Error::<T>::EmptyBatch);
			let n = readings.len() as u32;
			let mut written = Written::new();
			for signed in readings.iter() {
				let signature = Some(&signed.signature);
				Self::accept_or_report(&signed.reading, &signed.oracle, signature, &mut written);
			}
			let declared = Self::with_delivery(T::WeightInfo::submit_readings(n), n);
			Ok(Some(written.weight::<T>(declared, n)).into())
		}

		/// Submit one oracle-signed reading; a rejected reading fails the call with the
		/// reason.
		///
		/// ## Dispatch Origin
		/// Anyone, as for `submit_readings`.
		///
		/// ## Details
		/// The reading is accepted only if the meter exists and is active, the oracle is
		/// authorized for the meter's zone, the signature is valid for this chain, the interval
		/// has ended and is after the meter's last reading (or baseline), neither register
		/// decreased, and neither delta exceeds the meter's rated capacity times the time since
		/// its last reading (a consumption meter exports nothing). The first reading of a meter
		/// without a baseline sets it and mints nothing.
		///
		/// ## Errors
		/// - `UnknownMeter`, `MeterNotActive`, `UnknownOracle`, `OracleNotAuthorizedForZone`,
		///   `BadSignature`, `IntervalInFuture`, `IntervalNotNewer`, `RegisterDecreased`,
		///   `ImplausibleDelta`, `Overflow`.
		///
		/// ## Events
		/// - `ReadingAccepted`
		#[pallet::call_index(1)]
		#[pallet::authorize(Self::authorize_single)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_readings(1))]
		#[pallet::weight(Pallet::<T>::with_delivery(T::WeightInfo::submit_readings(1), 1))]
		pub fn submit_reading(origin: OriginFor<T>, reading: SignedReadingOf<T>) -> DispatchResult {
			Self::ensure_relayer(origin)?;
			Self::do_accept(&reading.reading, &reading.oracle, Some(&reading.signature))
		}

		/// Submit a batch of readings that their oracle signed as a whole, with one signature
		/// (`batch_signing_payload`): one signature check a batch instead of one a reading.
		///
		/// ## Dispatch Origin
		/// Anyone, as for `submit_readings`.
		///
		/// ## Details
		/// The batch's signature is checked first: a batch that `oracle` did not sign for this
		/// chain, exactly as it is, is refused as a whole (`BadSignature`). Then each reading is
		/// checked and accepted or rejected on its own as in `submit_readings` (the meter,
		/// `oracle`'s authorization for the meter's zone, the interval, the registers, the
		/// deltas), with the same events; in the transaction pool a fee-less batch is valid
		/// only if every reading is, with the same pool tags. The weight is charged as for
		/// `submit_readings`: each owner's account once a batch.
		///
		/// ## Errors
		/// - `EmptyBatch`, `BadSignature`. Per reading (in `ReadingRejected`): those of
		///   `submit_reading` but `BadSignature`.
		///
		/// ## Events
		/// - `ReadingAccepted` or `ReadingRejected`, one per reading, in batch order.
		#[pallet::call_index(2)]
		#[pallet::authorize(Self::authorize_signed_batch)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_submit_batch(readings.len() as u32))]
		#[pallet::weight(Pallet::<T>::with_delivery(T::WeightInfo::submit_batch(readings.len() as u32), readings.len() as u32))]
		pub fn submit_batch(
			origin: OriginFor<T>,
			oracle: T::AccountId,
			readings: ReadingsOf<T>,
			signature: T::Signature,
		) -> DispatchResultWithPostInfo {
			Self::ensure_relayer(origin)?;
			ensure!(!readings.is_empty(), Error::<T>::EmptyBatch);
			Self::verify_batch(&oracle, &readings, &signature)?;
			let n = readings.len() as u32;
			let mut written = Written::new();
			for reading in readings.iter() {
				Self::accept_or_report(reading, &oracle, None, &mut written);
			}
			let declared = Self::with_delivery(T::WeightInfo::submit_batch(n), n);
			Ok(Some(written.weight::<T>(declared, n)).into())
		}
	}
}
