//! The consortium acting as Root.
//!
//! Some calls are Root-only upstream, above all the runtime upgrade (`system.setCode` and
//! `system.authorizeUpgrade`). On PeerGrid no single key holds Root outside the development
//! chain: a motion of the consortium that passes with the runtime's majority dispatches such a
//! call through [`Pallet::dispatch`].

pub use pallet::*;

/// Root calls made by a motion of the consortium (runtime upgrades, validator and session
/// changes), never a sudo call.
#[frame_support::pallet]
pub mod pallet {
	use alloc::boxed::Box;
	use frame_support::{
		dispatch::{GetDispatchInfo, PostDispatchInfo},
		pallet_prelude::*,
		traits::{Contains, UnfilteredDispatchable},
	};
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Any call of the runtime.
		type RuntimeCall: Parameter
			+ UnfilteredDispatchable<RuntimeOrigin = Self::RuntimeOrigin>
			+ GetDispatchInfo;
		/// Who may act as Root: the consortium's vote.
		type DispatchOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The calls the consortium may dispatch as Root.
		type CallFilter: Contains<<Self as Config>::RuntimeCall>;
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The runtime does not let the consortium dispatch this call as Root (the sudo
		/// pallet's calls: no vote hands Root to a single key).
		CallNotAllowed,
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// The consortium dispatched a call as Root, with this result.
		Dispatched { result: DispatchResult },
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Dispatch `call` with Root origin. The call's own failure is reported in the
		/// `Dispatched` event; this call fails only for a wrong origin or a call the runtime
		/// does not allow (`CallNotAllowed`).
		#[pallet::call_index(0)]
		#[pallet::weight({
			let info = call.get_dispatch_info();
			(info.call_weight.saturating_add(T::DbWeight::get().writes(1)), info.class)
		})]
		pub fn dispatch(
			origin: OriginFor<T>,
			call: Box<<T as Config>::RuntimeCall>,
		) -> DispatchResultWithPostInfo {
			T::DispatchOrigin::ensure_origin(origin)?;
			ensure!(T::CallFilter::contains(&call), Error::<T>::CallNotAllowed);
			let outcome = call.dispatch_bypass_filter(frame_system::RawOrigin::Root.into());
			let actual = outcome
				.map(|post| post.actual_weight)
				.unwrap_or_else(|e| e.post_info.actual_weight);
			Self::deposit_event(Event::Dispatched {
				result: outcome.map(|_| ()).map_err(|e| e.error),
			});
			Ok(PostDispatchInfo {
				actual_weight: actual.map(|w| w.saturating_add(T::DbWeight::get().writes(1))),
				pays_fee: Pays::Yes,
			})
		}
	}
}
