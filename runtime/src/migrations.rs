//! The runtime's own storage migrations: those of no single pallet. The pallets' multi-block
//! migrations are listed in `configs.rs` (`Migrations`).

use alloc::vec::Vec;
use frame_support::{traits::OnRuntimeUpgrade, weights::Weight};
use pallet_session::{historical, SessionManager};

use super::{AccountId, Runtime};

/// A chain that ran without the historical module (before spec 103) has no record of its
/// sessions' validator sets, and `pallet-session` records one only when the set changes: until
/// the consortium next changed its validators, no GRANDPA equivocation could be proven.
/// Records the current and the queued session's sets at the upgrade, as genesis does.
pub struct RecordSessionHistory;

/// A session's validators, for the historical module: the current ones, or the queued ones.
struct SessionValidators<const QUEUED: bool>;

impl<const QUEUED: bool> SessionValidators<QUEUED> {
	fn set() -> Vec<(AccountId, ())> {
		let validators = if QUEUED {
			pallet_session::QueuedKeys::<Runtime>::get().into_iter().map(|(v, _)| v).collect()
		} else {
			pallet_session::Validators::<Runtime>::get()
		};
		validators.into_iter().map(|v| (v, ())).collect()
	}
}

impl<const QUEUED: bool> SessionManager<AccountId> for SessionValidators<QUEUED> {
	fn new_session(_: u32) -> Option<Vec<AccountId>> {
		None
	}
	fn end_session(_: u32) {}
	fn start_session(_: u32) {}
}

impl<const QUEUED: bool> historical::SessionManager<AccountId, ()> for SessionValidators<QUEUED> {
	fn new_session(_: u32) -> Option<Vec<(AccountId, ())>> {
		None
	}
	fn new_session_genesis(_: u32) -> Option<Vec<(AccountId, ())>> {
		Some(Self::set())
	}
	fn end_session(_: u32) {}
	fn start_session(_: u32) {}
}

impl OnRuntimeUpgrade for RecordSessionHistory {
	fn on_runtime_upgrade() -> Weight {
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		if historical::StoredRange::<Runtime>::get().is_some() {
			return db.reads(1);
		}
		let current = pallet_session::CurrentIndex::<Runtime>::get();
		type Current = historical::NoteHistoricalRoot<Runtime, SessionValidators<false>>;
		type Queued = historical::NoteHistoricalRoot<Runtime, SessionValidators<true>>;
		<Current as SessionManager<AccountId>>::new_session_genesis(current);
		<Queued as SessionManager<AccountId>>::new_session_genesis(current.saturating_add(1));
		// Both sets' keys read, two roots and the range written.
		let validators = pallet_session::Validators::<Runtime>::decode_len().unwrap_or(0) as u64;
		db.reads_writes(4u64.saturating_add(validators.saturating_mul(2)), 3)
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(_state: Vec<u8>) -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::{ensure, traits::KeyOwnerProofSystem};
		let current = pallet_session::CurrentIndex::<Runtime>::get();
		ensure!(
			historical::HistoricalSessions::<Runtime>::get(current).is_some(),
			"the current session's validators are not recorded"
		);
		// Every GRANDPA key of the current set can be proven to be a validator's.
		for (key, _) in pallet_grandpa::Pallet::<Runtime>::grandpa_authorities() {
			let owner = (sp_consensus_grandpa::KEY_TYPE, key);
			let proof = historical::Pallet::<Runtime>::prove(owner.clone())
				.ok_or("no proof of a GRANDPA key's owner")?;
			ensure!(
				historical::Pallet::<Runtime>::check_proof(owner, proof).is_some(),
				"a GRANDPA key's ownership proof does not check out"
			);
		}
		Ok(())
	}
}
