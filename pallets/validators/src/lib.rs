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

		fn start_session(_: u32) {}
	}
}
