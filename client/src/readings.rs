//! Oracle-signed readings, as `pallet-readings` verifies them: the payload is the pallet's own
//! ([`peergrid_primitives::reading::signing_payload`]), the types are generated.

use crate::api::{peergrid, runtime_types, AccountId, Hash};
use peergrid_primitives::reading::{signing_payload, Reading};
use sp_core::{sr25519, Pair};
use subxt::utils::Static;

/// A reading with its oracle's signature.
pub type Signed = runtime_types::pallet_readings::types::SignedReading<
	AccountId,
	runtime_types::sp_runtime::MultiSignature,
>;

/// A batch of readings: the call `Readings.submit_readings`.
pub type Batch = subxt::tx::DefaultPayload<peergrid::readings::calls::types::SubmitReadings>;

/// `reading` signed by `oracle` for the chain with genesis hash `genesis`.
pub fn sign(genesis: Hash, oracle: &sr25519::Pair, reading: Reading) -> Signed {
	let signature = oracle.sign(&signing_payload(&genesis, &reading));
	Signed {
		reading: Static(reading),
		oracle: AccountId(oracle.public().0),
		signature: runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
	}
}

/// The call that submits `readings` as one batch.
pub fn batch(readings: Vec<Signed>) -> Batch {
	peergrid::tx()
		.readings()
		.submit_readings(runtime_types::bounded_collections::bounded_vec::BoundedVec(readings))
}
