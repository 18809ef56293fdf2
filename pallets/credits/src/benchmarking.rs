//! Benchmarks of the credit token's calls.

use crate::pallet::*;
use frame_benchmarking::v2::*;
use frame_support::traits::fungible::Mutate;
use frame_system::RawOrigin;
use peergrid_primitives::ConsumptionLedger;

#[benchmarks]
mod benchmarks {
	use super::*;

	/// To an account that holds credits already (its record is read and written).
	#[benchmark]
	fn transfer() -> Result<(), BenchmarkError> {
		let from: T::AccountId = whitelisted_caller();
		let to: T::AccountId = account("to", 0, 0);
		Pallet::<T>::mint_into(&from, 2_000)?;
		Pallet::<T>::mint_into(&to, 1_000)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(from.clone()), to.clone(), 1_000);

		assert_eq!(Accounts::<T>::get(&from).free, 1_000);
		assert_eq!(Accounts::<T>::get(&to).free, 2_000);
		Ok(())
	}

	#[benchmark]
	fn retire() -> Result<(), BenchmarkError> {
		let who: T::AccountId = whitelisted_caller();
		Pallet::<T>::mint_into(&who, 2_000)?;
		Pallet::<T>::record_consumption(&who, 5_000)?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 1_000);

		assert_eq!(Accounts::<T>::get(&who).retired, 1_000);
		Ok(())
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::genesis_ext(), crate::mock::Test);
}
