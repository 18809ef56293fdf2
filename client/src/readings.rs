//! Oracle-signed readings, as `pallet-readings` documents them.

use pallet_readings::{signing_payload, Reading, SignedReading};
use peergrid_runtime::{AccountId, RuntimeCall};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::MultiSignature;

/// A reading with its oracle's signature.
pub type Signed = SignedReading<AccountId, MultiSignature>;

/// `reading` signed by `oracle` for the chain with genesis hash `genesis`.
pub fn sign(genesis: H256, oracle: &sr25519::Pair, reading: Reading) -> Signed {
	let signature = oracle.sign(&signing_payload(&genesis, &reading));
	SignedReading {
		reading,
		oracle: oracle.public().into(),
		signature: MultiSignature::Sr25519(signature),
	}
}

/// The call that submits `readings` as one batch; `None` if there are more than a batch takes.
pub fn batch(readings: Vec<Signed>) -> Option<RuntimeCall> {
	Some(RuntimeCall::Readings(pallet_readings::Call::submit_readings {
		readings: readings.try_into().ok()?,
	}))
}
