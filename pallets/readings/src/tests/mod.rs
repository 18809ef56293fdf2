//! Unit tests: readings accepted and every kind of bad reading refused, in the block and in
//! the transaction pool.

mod in_block;
mod pool;
mod signed_batch;
mod signing_and_migration;

use crate::{mock::*, pallet::*, signing_payload, Event as ReadingsEvent, Reading, SignedReading};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::{fungible::Inspect, Authorize},
	BoundedVec,
};
use peergrid_primitives::MeterStatus;
use sp_core::H256;
use sp_runtime::{DispatchError, ModuleError};

type Signed = SignedReadingOf<Test>;

/// `oracle`'s signature of a reading of `meter` for `interval` with registers
/// `(imported, exported)`, on the test chain.
fn sign(oracle: &Oracle, meter: u64, interval: u64, imported: u64, exported: u64) -> Signed {
	sign_for(GENESIS, oracle, meter, interval, imported, exported)
}

fn sign_for(
	genesis: H256,
	oracle: &Oracle,
	meter: u64,
	interval: u64,
	imported_wh: u64,
	exported_wh: u64,
) -> Signed {
	let reading = Reading { meter, interval, imported_wh, exported_wh };
	let signature = oracle.sign(&signing_payload(&genesis, &reading));
	SignedReading { reading, oracle: oracle.account(), signature }
}

fn batch(readings: Vec<Signed>) -> BoundedVec<Signed, frame_support::traits::ConstU32<8>> {
	BoundedVec::try_from(readings).expect("a small batch")
}

fn relayer() -> RuntimeOrigin {
	RuntimeOrigin::signed(sp_keyring::Sr25519Keyring::Eve.to_account_id())
}

fn events() -> Vec<ReadingsEvent<Test>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Readings(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn credits(who: sp_keyring::Sr25519Keyring) -> u64 {
	Credits::balance(&who.to_account_id())
}

fn consumption(who: sp_keyring::Sr25519Keyring) -> u64 {
	pallet_credits::Accounts::<Test>::get(who.to_account_id()).metered
}

/// The module error of this pallet named `error`, as a `ReadingRejected` event carries it.
fn module_error(error: Error<Test>) -> DispatchError {
	let DispatchError::Module(ModuleError { index, error, message }) = DispatchError::from(error)
	else {
		unreachable!("a pallet error is a module error")
	};
	DispatchError::Module(ModuleError { index, error, message })
}

/// Submits one reading and expects it refused with `error`, changing nothing.
fn assert_refused(reading: Signed, error: Error<Test>) {
	assert_noop!(Readings::submit_reading(relayer(), reading), error);
}
