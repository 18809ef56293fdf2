//! Checking and accepting readings, in the block and in the transaction pool.

use crate::{
	batch_signing_payload, pallet::*, signing_payload, MeterState, Reading, WeightInfo, LOG_TARGET,
};
use alloc::collections::{BTreeMap, BTreeSet};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{fungible::Mutate, UnixTime},
};
use frame_system::pallet_prelude::*;
use peergrid_primitives::{
	interval_end, ConsumptionLedger, DeliveryLedger, MeterKind, MeterRegistry, MeterStatus, Wh,
};
use sp_runtime::traits::{Verify, Zero};

/// How readings rank in the transaction pool against other transactions.
pub const READING_PRIORITY: TransactionPriority = 1 << 20;
/// How many blocks a reading may wait in the pool before it is dropped.
pub const READING_LONGEVITY: TransactionLongevity = 64;

/// What accepting a reading does.
pub(crate) struct Acceptance<AccountId> {
	owner: AccountId,
	state: MeterState,
	consumed: Wh,
	/// The energy exported since the meter's last reading.
	minted: Wh,
	/// The intervals since the meter's last reading (zero for a first reading, which sets the
	/// baseline and counts nothing).
	span: u64,
}

/// What a batch's accepted readings wrote: each owner's credit account is charged once a
/// batch, however many of its readings wrote it; and the delivery auction's records only for
/// the readings of meters with an allocation.
pub(crate) struct Written<AccountId> {
	owners: BTreeSet<AccountId>,
	/// The readings whose meter had an allocation in the delivery auction.
	deliveries: u32,
}

impl<AccountId: Ord> Written<AccountId> {
	pub(crate) fn new() -> Self {
		Self { owners: BTreeSet::new(), deliveries: 0 }
	}

	/// Records what an accepted reading wrote: `owner`'s account.
	pub(crate) fn add(&mut self, owner: AccountId) {
		self.owners.insert(owner);
	}

	/// The actual weight of the batch of `n` readings whose declared weight is `declared`.
	pub(crate) fn weight<T: Config>(&self, declared: Weight, n: u32) -> Weight {
		Pallet::<T>::batch_weight(declared, n, self.owners.len() as u32, self.deliveries)
	}
}

impl<T: Config> Pallet<T> {
	/// The weight of a batch of `n` readings, whose declared (benchmarked) weight is
	/// `declared`, that wrote the credit accounts of `owners` distinct owners: the benchmarks
	/// give each reading an owner of its own, so each reading that wrote no account (a rejected
	/// one) or one the batch had already written is refunded that read and write. Each reading
	/// is declared the delivery auction's worst case (`with_delivery`); all but the
	/// `deliveries` whose meter had an allocation are refunded all of it but a miss's weight.
	pub fn batch_weight(declared: Weight, n: u32, owners: u32, deliveries: u32) -> Weight {
		let repeats = u64::from(n.saturating_sub(owners));
		let misses = u64::from(n.saturating_sub(deliveries));
		let miss_refund = T::Delivery::deliver_weight().saturating_sub(T::Delivery::miss_weight());
		declared
			.saturating_sub(T::DbWeight::get().reads_writes(repeats, repeats))
			.saturating_sub(miss_refund.saturating_mul(misses))
	}

	/// `weight` of `n` readings, with the delivery auction's worst case for each.
	pub fn with_delivery(weight: Weight, n: u32) -> Weight {
		weight.saturating_add(T::Delivery::deliver_weight().saturating_mul(n.into()))
	}

	/// The hash every signature must commit to: this chain's genesis block.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// A relayer: a general transaction authorized by this pallet, or any signed account.
	pub(crate) fn ensure_relayer(origin: OriginFor<T>) -> DispatchResult {
		if frame_system::ensure_authorized(origin.clone()).is_ok() {
			return Ok(());
		}
		ensure_signed(origin)?;
		Ok(())
	}

	/// Whether `signature` is `oracle`'s signature of the whole batch `readings` on this chain.
	pub(crate) fn verify_batch(
		oracle: &T::AccountId,
		readings: &[Reading],
		signature: &T::Signature,
	) -> Result<(), Error<T>> {
		let payload = batch_signing_payload(&Self::genesis_hash(), readings);
		ensure!(signature.verify(&payload[..], oracle), Error::<T>::BadSignature);
		Ok(())
	}

	/// Checks `reading` of `oracle` against the chain without changing anything, and says what
	/// accepting it would do. `signature` is the reading's own signature, or `None` for a
	/// reading of a batch whose signature was verified (`verify_batch`). `prior` is the meter's
	/// state after earlier readings of the same batch, if the transaction pool accepted any
	/// (the block applies a batch's readings in order).
	pub(crate) fn check(
		reading: &Reading,
		oracle: &T::AccountId,
		signature: Option<&T::Signature>,
		prior: Option<&MeterState>,
	) -> Result<Acceptance<T::AccountId>, Error<T>> {
		let meter = T::Meters::meter(reading.meter).ok_or(Error::<T>::UnknownMeter)?;
		ensure!(meter.status == MeterStatus::Active, Error::<T>::MeterNotActive);
		match T::Meters::oracle_may_sign(oracle, meter.zone) {
			None => return Err(Error::<T>::UnknownOracle),
			Some(false) => return Err(Error::<T>::OracleNotAuthorizedForZone),
			Some(true) => {}
		}
		if let Some(signature) = signature {
			let payload = signing_payload(&Self::genesis_hash(), reading);
			ensure!(signature.verify(&payload[..], oracle), Error::<T>::BadSignature);
		}

		let length = T::IntervalSeconds::get();
		let end = interval_end(reading.interval, length).ok_or(Error::<T>::IntervalInFuture)?;
		ensure!(end <= T::UnixTime::now().as_secs(), Error::<T>::IntervalInFuture);

		let stored = prior.copied().or_else(|| MeterStates::<T>::get(reading.meter));
		let previous = match (stored, meter.baseline) {
			(Some(state), _) => Some((state.last_interval, state.registers, state)),
			(None, Some(b)) => Some((b.interval, b.registers, MeterState::default())),
			// No baseline: this first reading sets it and mints nothing.
			(None, None) => None,
		};
		let Some((last_interval, last, previous)) = previous else {
			let state = MeterState {
				last_interval: reading.interval,
				registers: reading.registers(),
				readings: 1,
				..Default::default()
			};
			return Ok(Acceptance { owner: meter.owner, state, consumed: 0, minted: 0, span: 0 });
		};
		ensure!(reading.interval > last_interval, Error::<T>::IntervalNotNewer);
		let intervals = reading.interval.saturating_sub(last_interval);
		let consumed = reading
			.imported_wh
			.checked_sub(last.imported_wh)
			.ok_or(Error::<T>::RegisterDecreased)?;
		let exported = reading
			.exported_wh
			.checked_sub(last.exported_wh)
			.ok_or(Error::<T>::RegisterDecreased)?;

		// Rated power (W) times the time since the last reading (s), in Wh.
		let most = u128::from(meter.capacity_w)
			.saturating_mul(u128::from(intervals))
			.saturating_mul(u128::from(length))
			/ 3600;
		ensure!(
			u128::from(consumed) <= most && u128::from(exported) <= most,
			Error::<T>::ImplausibleDelta
		);
		ensure!(
			meter.kind != MeterKind::Consumption || exported == 0,
			Error::<T>::ImplausibleDelta
		);

		let state = MeterState {
			last_interval: reading.interval,
			registers: reading.registers(),
			readings: previous.readings.checked_add(1).ok_or(Error::<T>::Overflow)?,
			credits_minted: previous
				.credits_minted
				.checked_add(exported)
				.ok_or(Error::<T>::Overflow)?,
			consumption_recorded: previous
				.consumption_recorded
				.checked_add(consumed)
				.ok_or(Error::<T>::Overflow)?,
		};
		Ok(Acceptance { owner: meter.owner, state, consumed, minted: exported, span: intervals })
	}

	/// Checks and accepts one reading (`signature` as for `check`): all of it, or nothing.
	pub(crate) fn do_accept(
		reading: &Reading,
		oracle: &T::AccountId,
		signature: Option<&T::Signature>,
	) -> DispatchResult {
		let acceptance = Self::check(reading, oracle, signature, None)?;
		Self::accept(reading, oracle, acceptance, &mut Written::new())
	}

	/// Accepts `reading` as `check` found it may be: all of it, or nothing (an overflow).
	fn accept(
		reading: &Reading,
		oracle: &T::AccountId,
		Acceptance { owner, mut state, consumed, mut minted, span }: Acceptance<T::AccountId>,
		written: &mut Written<T::AccountId>,
	) -> DispatchResult {
		frame_support::storage::with_storage_layer(|| -> DispatchResult {
			// What the interval exported counts against the meter's auction allocation: the
			// buyers receive what was delivered, and the owner is minted the rest. Only a
			// reading of the one interval since the last proves what that interval exported;
			// one after a gap delivers nothing (its export may be any interval's). A first
			// reading (no span) is not asked about.
			let exported = if span == 1 { minted } else { 0 };
			let allocated = (span > 0)
				.then(|| T::Delivery::deliver(reading.meter, reading.interval, exported))
				.flatten();
			if let Some(delivered) = allocated {
				written.deliveries = written.deliveries.saturating_add(1);
				minted = minted.saturating_sub(delivered);
				state.credits_minted = state.credits_minted.saturating_sub(delivered);
			}
			if minted > 0 {
				T::Credits::mint_into(&owner, minted)?;
			}
			T::Consumption::record_consumption(&owner, consumed)?;
			MeterStates::<T>::insert(reading.meter, state);
			Ok(())
		})?;
		log::debug!(target: LOG_TARGET, "meter {} interval {} accepted", reading.meter, reading.interval);
		Self::deposit_event(Event::ReadingAccepted {
			meter: reading.meter,
			interval: reading.interval,
			oracle: oracle.clone(),
			owner,
			registers: reading.registers(),
			consumed_wh: consumed,
			credits_minted: minted,
		});
		Ok(())
	}

	/// Accepts `reading` (`signature` as for `check`), or reports why not in a
	/// `ReadingRejected` event. Records in `written` the owner's account of each reading that
	/// passed the checks: accepting it reads the account, even if an overflow then rejects it.
	pub(crate) fn accept_or_report(
		reading: &Reading,
		oracle: &T::AccountId,
		signature: Option<&T::Signature>,
		written: &mut Written<T::AccountId>,
	) {
		let (meter, interval) = (reading.meter, reading.interval);
		let outcome = Self::check(reading, oracle, signature, None).map_err(Into::into).and_then(
			|acceptance| {
				written.add(acceptance.owner.clone());
				Self::accept(reading, oracle, acceptance, written)
			},
		);
		if let Err(error) = outcome {
			log::debug!(target: LOG_TARGET, "meter {meter} interval {interval} rejected: {error:?}");
			let oracle = oracle.clone();
			Self::deposit_event(Event::ReadingRejected { meter, interval, oracle, error });
		}
	}

	/// Pool validation of a batch of readings signed one by one (`submit_readings`): valid only
	/// as a whole (`check_in_pool`).
	///
	/// In a block, the batch is not checked again: the call checks every reading anyway, and
	/// rejects each one that is no longer valid (with a `ReadingRejected` event), so a second
	/// check would verify every signature twice. The check's weight is refunded then.
	pub(crate) fn authorize_batch(
		source: TransactionSource,
		readings: &BoundedVec<SignedReadingOf<T>, T::MaxBatchSize>,
	) -> TransactionValidityWithRefund {
		if source == TransactionSource::InBlock {
			return Ok(Self::unchecked_in_block(T::WeightInfo::authorize_readings, readings.len()));
		}
		Self::check_in_pool(readings.iter().map(|s| (&s.reading, &s.oracle, Some(&s.signature))))
	}

	/// Pool validation of a batch its oracle signed as a whole (`submit_batch`): the batch's
	/// signature, verified once, then each reading as for any batch (`check_in_pool`). In a
	/// block, as for `authorize_batch`, the call's own checks are the only ones.
	pub(crate) fn authorize_signed_batch(
		source: TransactionSource,
		oracle: &T::AccountId,
		readings: &ReadingsOf<T>,
		signature: &T::Signature,
	) -> TransactionValidityWithRefund {
		if source == TransactionSource::InBlock {
			let n = readings.len();
			return Ok(Self::unchecked_in_block(T::WeightInfo::authorize_submit_batch, n));
		}
		if readings.is_empty() {
			return Err(Self::pool_error(Error::<T>::EmptyBatch));
		}
		Self::verify_batch(oracle, readings, signature).map_err(Self::pool_error)?;
		Self::check_in_pool(readings.iter().map(|r| (r, oracle, None)))
	}

	/// The pool's check of a batch's readings (each with its oracle, and its own signature or
	/// `None` if its batch's was verified): valid only as a whole, and never empty. Every
	/// reading must pass the block's checks, each against the chain as the batch's earlier
	/// readings leave it (a meter's consecutive readings may share a batch, in order); the
	/// first that does not refuses the batch with its reason. A fee-less transaction thus never carries a reading
	/// the block would reject at the time it enters the pool. Each reading provides the tag
	/// `(meter, interval)`: the pool keeps one copy of a reading, whichever call carries it,
	/// and a batch that repeats one is refused (its repeat is not newer than the first).
	fn check_in_pool<'a>(
		readings: impl Iterator<Item = (&'a Reading, &'a T::AccountId, Option<&'a T::Signature>)>,
	) -> TransactionValidityWithRefund {
		let mut readings = readings.peekable();
		if readings.peek().is_none() {
			return Err(Self::pool_error(Error::<T>::EmptyBatch));
		}
		let mut validity = Self::pool_validity();
		let mut states = BTreeMap::new();
		for (reading, oracle, signature) in readings {
			let meter = reading.meter;
			let accepted = Self::check(reading, oracle, signature, states.get(&meter))
				.map_err(Self::pool_error)?;
			states.insert(meter, accepted.state);
			validity = validity.and_provides((meter, reading.interval));
		}
		Ok((validity.into(), Weight::zero()))
	}

	/// Pool validation of a single reading; in a block, as for a batch, the call's own check
	/// is the only one.
	pub(crate) fn authorize_single(
		source: TransactionSource,
		signed: &SignedReadingOf<T>,
	) -> TransactionValidityWithRefund {
		if source == TransactionSource::InBlock {
			return Ok(Self::unchecked_in_block(T::WeightInfo::authorize_readings, 1));
		}
		Self::check_in_pool(core::iter::once((
			&signed.reading,
			&signed.oracle,
			Some(&signed.signature),
		)))
	}

	/// The readings' invariants: every meter with readings is registered, its last reading is
	/// after its baseline, and counts at least one reading.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (id, state) in MeterStates::<T>::iter() {
			let meter = T::Meters::meter(id).ok_or("readings of a meter that is not registered")?;
			ensure!(state.readings > 0, "a meter's state counts no reading");
			if let Some(baseline) = meter.baseline {
				ensure!(
					state.last_interval > baseline.interval,
					"a reading not after the baseline"
				);
			}
		}
		Ok(())
	}

	/// A block's validity of `n` readings that it does not check, `check` being the weight of
	/// the pool's check: that weight is refunded, all but its fixed part.
	fn unchecked_in_block(check: fn(u32) -> Weight, n: usize) -> (ValidTransaction, Weight) {
		let refund = check(n as u32).saturating_sub(check(0));
		(ValidTransaction::default(), refund)
	}

	/// The pool validity of readings, before their tags are added.
	fn pool_validity() -> sp_runtime::transaction_validity::ValidTransactionBuilder {
		ValidTransaction::with_tag_prefix("PeerGridReading")
			.priority(READING_PRIORITY)
			.longevity(READING_LONGEVITY)
			.propagate(true)
	}

	/// How the pool reports a refused reading: a bad signature as `BadProof`, a replayed or
	/// old interval as `Stale`, an interval not yet ended as `Future`, and any other reason as
	/// `Custom(n)`, `n` being the index of the error in this pallet's `Error` enum.
	pub(crate) fn pool_error(error: Error<T>) -> TransactionValidityError {
		match error {
			Error::<T>::BadSignature => InvalidTransaction::BadProof,
			Error::<T>::IntervalNotNewer => InvalidTransaction::Stale,
			Error::<T>::IntervalInFuture => InvalidTransaction::Future,
			other => InvalidTransaction::Custom(other.encode().first().copied().unwrap_or(u8::MAX)),
		}
		.into()
	}
}
