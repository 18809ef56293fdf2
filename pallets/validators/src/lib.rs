#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use weights::WeightInfo;

/// The consortium's validator set and session length, changed by motion, taking effect at
/// session boundaries.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::Contains};
	use frame_system::pallet_prelude::*;
	use sp_runtime::traits::Zero;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Who changes the validator set and the session length: the consortium's vote.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Whether an account has registered session keys (`session.setKeys`). A validator
		/// without keys could not author or vote, so it is refused.
		type HasSessionKeys: Contains<Self::AccountId>;
		/// The most validators: the Aura and GRANDPA authority bound.
		#[pallet::constant]
		type MaxValidators: Get<u32>;
		/// The fewest validators a removal may leave. GRANDPA finalizes only while more than
		/// two thirds of the validators are online.
		#[pallet::constant]
		type MinValidators: Get<u32>;
		/// The shortest session, in blocks. A session change fills its block, so very short
		/// sessions would cost the market block space.
		#[pallet::constant]
		type MinSessionLength: Get<BlockNumberFor<Self>>;
		/// The longest session, in blocks: validator changes (and GRANDPA's recovery from a
		/// stall) wait for a session change.
		#[pallet::constant]
		type MaxSessionLength: Get<BlockNumberFor<Self>>;
		/// How many past sessions' validator sets are kept (`pallet-session`'s historical
		/// roots), so that an equivocation in them can still be proven and reported; older ones
		/// are pruned at each session start.
		#[pallet::constant]
		type ReportableSessions: Get<u32>;
		/// Where the past sessions' validator sets are kept.
		type SessionHistory: SessionHistory;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// The validators the next planned session will have, sorted by account.
	#[pallet::storage]
	pub type Validators<T: Config> =
		StorageValue<_, BoundedVec<T::AccountId, T::MaxValidators>, ValueQuery>;

	/// Whether [`Validators`] changed since the last session was planned.
	#[pallet::storage]
	pub type SetChanged<T> = StorageValue<_, bool, ValueQuery>;

	/// The length of a session in blocks. Sessions end at every multiple of it.
	#[pallet::storage]
	pub type SessionLength<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The validators of the first sessions. Without any, `pallet-session` takes its own
		/// genesis keys' accounts.
		pub validators: Vec<T::AccountId>,
		/// The session length in blocks.
		pub session_length: BlockNumberFor<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			let mut validators = self.validators.clone();
			validators.sort();
			validators.dedup();
			assert!(
				validators.len() <= T::MaxValidators::get() as usize,
				"more genesis validators than MaxValidators"
			);
			let validators = BoundedVec::<_, T::MaxValidators>::truncate_from(validators);
			// Without a length, sessions last `MinSessionLength` (see `SessionLengthOf`).
			assert!(
				self.session_length.is_zero()
					|| (T::MinSessionLength::get()..=T::MaxSessionLength::get())
						.contains(&self.session_length),
				"the genesis session length is outside MinSessionLength..=MaxSessionLength"
			);
			Validators::<T>::put(validators);
			SessionLength::<T>::put(self.session_length);
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `validator` joins the set from the session after next.
		ValidatorAdded { validator: T::AccountId },
		/// `validator` leaves the set from the session after next.
		ValidatorRemoved { validator: T::AccountId },
		/// Session `session` will have these `validators`: the set is planned one session
		/// ahead and takes effect when that session starts.
		ValidatorSetPlanned { session: u32, validators: Vec<T::AccountId> },
		/// Sessions last `length` blocks from now on.
		SessionLengthSet { length: BlockNumberFor<T> },
		/// `validator` was proven to have misbehaved in session `session`, reported on chain
		/// with the evidence, which `pallet-offences` keeps (its `Offence` event, right after,
		/// names the kind: `grandpa:equivoca` for two conflicting GRANDPA votes in one round).
		/// The consortium decides what follows: a motion to `remove_validator`, say. Nothing is
		/// taken automatically.
		OffenceReported { validator: T::AccountId, session: u32 },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is already a validator.
		AlreadyValidator,
		/// The account is not a validator.
		NotValidator,
		/// The account has not registered session keys (`session.setKeys`) yet.
		NoSessionKeys,
		/// The set already has `MaxValidators` validators.
		TooManyValidators,
		/// The removal would leave fewer than `MinValidators` validators.
		TooFewValidators,
		/// The session length is below `MinSessionLength`.
		SessionTooShort,
		/// The session length is above `MaxSessionLength`.
		SessionTooLong,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MinValidators::get() > 0, "GRANDPA needs at least one validator");
			assert!(
				T::MinValidators::get() <= T::MaxValidators::get(),
				"MinValidators must not exceed MaxValidators"
			);
			assert!(!T::MinSessionLength::get().is_zero(), "a session lasts at least a block");
			assert!(
				T::MinSessionLength::get() <= T::MaxSessionLength::get(),
				"MinSessionLength must not exceed MaxSessionLength"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Add `validator` to the set. It authors and votes from the session after next, with
		/// the session keys it registered. Consortium only.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::add_validator())]
		pub fn add_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(T::HasSessionKeys::contains(&validator), Error::<T>::NoSessionKeys);
			Validators::<T>::try_mutate(|set| {
				let at = set.binary_search(&validator).err().ok_or(Error::<T>::AlreadyValidator)?;
				set.try_insert(at, validator.clone()).map_err(|_| Error::<T>::TooManyValidators)
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorAdded { validator });
			Ok(())
		}

		/// Remove `validator` from the set from the session after next. Refused if fewer than
		/// `MinValidators` would remain. Consortium only.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::remove_validator())]
		pub fn remove_validator(origin: OriginFor<T>, validator: T::AccountId) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Validators::<T>::try_mutate(|set| {
				let at = set.binary_search(&validator).map_err(|_| Error::<T>::NotValidator)?;
				ensure!(set.len() > T::MinValidators::get() as usize, Error::<T>::TooFewValidators);
				set.remove(at);
				Ok::<_, Error<T>>(())
			})?;
			SetChanged::<T>::put(true);
			Self::deposit_event(Event::ValidatorRemoved { validator });
			Ok(())
		}

		/// Sessions last `length` blocks (`MinSessionLength` to `MaxSessionLength`), counted
		/// from block 0: the next session change is at the next multiple of `length`.
		/// Consortium only.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_session_length())]
		pub fn set_session_length(
			origin: OriginFor<T>,
			length: BlockNumberFor<T>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			ensure!(length >= T::MinSessionLength::get(), Error::<T>::SessionTooShort);
			ensure!(length <= T::MaxSessionLength::get(), Error::<T>::SessionTooLong);
			SessionLength::<T>::put(length);
			Self::deposit_event(Event::SessionLengthSet { length });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The validator set's invariants: the planned set is sorted without repeats, and each
		/// of its validators has session keys; the session length is unset (the least) or
		/// within `MinSessionLength..=MaxSessionLength`.
		#[cfg(any(feature = "try-runtime", test))]
		pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
			let set = Validators::<T>::get();
			ensure!(set.windows(2).all(|w| w[0] < w[1]), "the validator set is not sorted");
			ensure!(set.iter().all(T::HasSessionKeys::contains), "a validator has no session keys");
			let length = SessionLength::<T>::get();
			ensure!(
				length.is_zero()
					|| (T::MinSessionLength::get()..=T::MaxSessionLength::get()).contains(&length),
				"the session length is out of bounds"
			);
			Ok(())
		}
	}

	/// The session length for `pallet_session::PeriodicSessions`, read from storage.
	pub struct SessionLengthOf<T>(PhantomData<T>);

	impl<T: Config> Get<BlockNumberFor<T>> for SessionLengthOf<T> {
		fn get() -> BlockNumberFor<T> {
			let length = SessionLength::<T>::get();
			// Never zero: `PeriodicSessions` divides by it.
			if length.is_zero() {
				T::MinSessionLength::get().max(1u32.into())
			} else {
				length
			}
		}
	}

	impl<T: Config> pallet_session::SessionManager<T::AccountId> for Pallet<T> {
		fn new_session(session: u32) -> Option<Vec<T::AccountId>> {
			if !SetChanged::<T>::take() {
				return None;
			}
			let validators = Validators::<T>::get().into_inner();
			Self::deposit_event(Event::ValidatorSetPlanned {
				session,
				validators: validators.clone(),
			});
			Some(validators)
		}

		fn new_session_genesis(_session: u32) -> Option<Vec<T::AccountId>> {
			let validators = Validators::<T>::get().into_inner();
			(!validators.is_empty()).then_some(validators)
		}

		fn end_session(_: u32) {}

		fn start_session(session: u32) {
			T::SessionHistory::prune_before(session.saturating_sub(T::ReportableSessions::get()));
		}
	}

	/// The validator sets with the (empty) identification of each validator, which
	/// `pallet-session`'s historical module keeps per session: in proof of authority a
	/// validator is its account, with nothing at stake.
	impl<T: Config> pallet_session::historical::SessionManager<T::AccountId, ()> for Pallet<T> {
		fn new_session(session: u32) -> Option<Vec<(T::AccountId, ())>> {
			<Self as pallet_session::SessionManager<_>>::new_session(session)
				.map(|set| set.into_iter().map(|v| (v, ())).collect())
		}

		fn new_session_genesis(session: u32) -> Option<Vec<(T::AccountId, ())>> {
			<Self as pallet_session::SessionManager<_>>::new_session_genesis(session)
				.map(|set| set.into_iter().map(|v| (v, ())).collect())
		}

		fn start_session(session: u32) {
			<Self as pallet_session::SessionManager<_>>::start_session(session)
		}

		fn end_session(session: u32) {
			<Self as pallet_session::SessionManager<_>>::end_session(session)
		}
	}

	/// An offence proven on chain: the offender of the report just accepted is named in an
	/// `OffenceReported` event for the consortium. `pallet-offences` passes every offender of
	/// the report's kind and time slot (a GRANDPA round), those reported earlier first and the
	/// new report's last; a GRANDPA report has one offender, so only the last is new. No stake
	/// is slashed, since validators stake nothing in proof of authority; nobody is removed
	/// without a vote.
	impl<T: Config, Identification>
		sp_staking::offence::OnOffenceHandler<T::AccountId, (T::AccountId, Identification), Weight>
		for Pallet<T>
	{
		fn on_offence(
			offenders: &[sp_staking::offence::OffenceDetails<
				T::AccountId,
				(T::AccountId, Identification),
			>],
			_slash_fraction: &[sp_runtime::Perbill],
			session: u32,
		) -> Weight {
			let Some(reported) = offenders.last() else { return Weight::zero() };
			Self::deposit_event(Event::OffenceReported {
				validator: reported.offender.0.clone(),
				session,
			});
			T::DbWeight::get().writes(1)
		}
	}
}

/// Where past sessions' validator sets are kept: `pallet-session`'s historical module.
pub trait SessionHistory {
	/// Forgets the validator sets of the sessions before `session`.
	fn prune_before(session: u32);
}

impl SessionHistory for () {
	fn prune_before(_: u32) {}
}
