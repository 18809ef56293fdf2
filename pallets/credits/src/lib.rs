#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod fungible_impls;
mod impls;
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

const LOG_TARGET: &str = "runtime::credits";

/// The token's name, as wallets show it.
pub const TOKEN_NAME: &[u8] = b"PeerGrid energy credit";
/// The token's symbol: balances are counted in Wh and shown in kWh.
pub const TOKEN_SYMBOL: &[u8] = b"kWh";
/// Decimals: 1 kWh = 1,000 credits of 1 Wh.
pub const TOKEN_DECIMALS: u8 = 3;

/// The energy credit token: 1 credit = 1 Wh of exported energy, minted by accepted readings,
/// transferred, held by the market, and retired against metered consumption.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::pallet_prelude::*;
	use frame_system::pallet_prelude::*;
	use peergrid_primitives::Wh;

	/// The storage layout's version: 1 keeps each account's energy on record in `Accounts`.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Why credits can be held: the runtime's hold reasons (the market's open orders).
		type RuntimeHoldReason: Parameter + Member + MaxEncodedLen + Copy;
		/// The most holds (different reasons) one account can have at once.
		#[pallet::constant]
		type MaxHolds: Get<u32>;
		/// Weights of the calls.
		type WeightInfo: WeightInfo;
	}

	/// Credits in existence: minted minus retired.
	#[pallet::storage]
	pub type TotalIssuance<T> = StorageValue<_, Wh, ValueQuery>;

	/// Credits ever minted, by verified readings.
	#[pallet::storage]
	pub type TotalMinted<T> = StorageValue<_, Wh, ValueQuery>;

	/// Credits ever retired against consumption.
	#[pallet::storage]
	pub type TotalRetired<T> = StorageValue<_, Wh, ValueQuery>;

	/// Each account's credits, free and held, and its energy on record (minted, metered,
	/// retired). Absent for an account with nothing.
	#[pallet::storage]
	pub type Accounts<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, CreditAccount, ValueQuery>;

	/// Each account's holds, one per reason.
	#[pallet::storage]
	pub type Holds<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<Hold<T::RuntimeHoldReason>, T::MaxHolds>,
		ValueQuery,
	>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// Credits were minted for exported energy.
		Minted {
			/// Who received them.
			who: T::AccountId,
			/// How many (Wh).
			amount: Wh,
		},
		/// Credits moved from one account to another (a transfer or a market settlement).
		Transferred {
			/// The sender.
			from: T::AccountId,
			/// The recipient.
			to: T::AccountId,
			/// How many (Wh).
			amount: Wh,
		},
		/// Credits were retired (burned) against the holder's metered consumption.
		Retired {
			/// Whose credits.
			who: T::AccountId,
			/// How many (Wh).
			amount: Wh,
			/// The holder's consumption still not covered, after this retirement (Wh).
			uncovered: Wh,
		},
		/// Credits were put on hold.
		Held {
			/// Why.
			reason: T::RuntimeHoldReason,
			/// Whose credits.
			who: T::AccountId,
			/// How many (Wh).
			amount: Wh,
		},
		/// Held credits were released to their owner's free balance.
		Released {
			/// Why they had been held.
			reason: T::RuntimeHoldReason,
			/// Whose credits.
			who: T::AccountId,
			/// How many (Wh).
			amount: Wh,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount must be more than zero.
		ZeroAmount,
		/// The account has fewer free credits than that.
		InsufficientCredits,
		/// Retiring that much would exceed the account's consumption not yet covered.
		ExceedsUncoveredConsumption,
		/// The account already has the most holds allowed.
		TooManyHolds,
		/// A total would overflow.
		Overflow,
	}

	#[pallet::extra_constants]
	impl<T: Config> Pallet<T> {
		/// The token's name.
		#[pallet::constant_name(Name)]
		fn token_name() -> Vec<u8> {
			TOKEN_NAME.to_vec()
		}

		/// The token's symbol.
		#[pallet::constant_name(Symbol)]
		fn token_symbol() -> Vec<u8> {
			TOKEN_SYMBOL.to_vec()
		}

		/// The token's decimals: balances are in Wh, shown in kWh.
		#[pallet::constant_name(Decimals)]
		fn token_decimals() -> u8 {
			TOKEN_DECIMALS
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxHolds::get() > 0, "the market needs at least one hold per account");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Transfer credits to another account.
		///
		/// ## Dispatch Origin
		/// Signed by the holder.
		///
		/// ## Details
		/// Moves `amount` free credits (Wh). Held credits cannot be transferred.
		///
		/// ## Errors
		/// - `ZeroAmount`, `InsufficientCredits`, `Overflow` (the recipient's balance).
		///
		/// ## Events
		/// - `Transferred`
		#[pallet::call_index(0)]
		pub fn transfer(origin: OriginFor<T>, dest: T::AccountId, amount: Wh) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_transfer(&who, &dest, amount)
		}

		/// Retire (burn) credits against the caller's metered consumption.
		///
		/// ## Dispatch Origin
		/// Signed by the holder.
		///
		/// ## Details
		/// Burns `amount` free credits and records them as covering that much of the caller's
		/// metered consumption: the claim "this consumption was covered by peer-produced
		/// energy". Never more than the consumption not yet covered.
		///
		/// ## Errors
		/// - `ZeroAmount`, `ExceedsUncoveredConsumption`, `InsufficientCredits`.
		///
		/// ## Events
		/// - `Retired`
		#[pallet::call_index(1)]
		pub fn retire(origin: OriginFor<T>, amount: Wh) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_retire(&who, amount)
		}
	}
}
