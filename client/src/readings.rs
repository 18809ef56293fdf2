//! Oracle-signed readings, as `pallet-readings` verifies them: the payloads are the pallet's own
//! ([`peergrid_primitives::reading::signing_payload`] for a reading signed on its own,
//! [`peergrid_primitives::reading::batch_signing_payload`] for a batch signed as a whole), the
//! types are generated.

use crate::api::{peergrid, runtime_types, AccountId, Hash};
use peergrid_primitives::reading::{batch_signing_payload, signing_payload, Reading};
use sp_core::{sr25519, Pair};
use subxt::{tx::Payload, utils::Static};

/// A reading with its oracle's signature.
pub type Signed = runtime_types::pallet_readings::types::SignedReading<
	AccountId,
	runtime_types::sp_runtime::MultiSignature,
>;

/// A batch of readings signed one by one: the call `Readings.submit_readings`.
pub type Batch = subxt::tx::DefaultPayload<peergrid::readings::calls::types::SubmitReadings>;

/// A batch of readings signed as a whole: the call `Readings.submit_batch`.
pub type SignedBatch = subxt::tx::DefaultPayload<peergrid::readings::calls::types::SubmitBatch>;

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

/// The call that submits `readings` as one batch that `oracle` signs as a whole, with one
/// signature, for the chain with genesis hash `genesis`.
pub fn signed_batch(genesis: Hash, oracle: &sr25519::Pair, readings: Vec<Reading>) -> SignedBatch {
	let signature = oracle.sign(&batch_signing_payload(&genesis, &readings));
	peergrid::tx().readings().submit_batch(
		AccountId(oracle.public().0),
		runtime_types::bounded_collections::bounded_vec::BoundedVec(
			readings.into_iter().map(Static).collect(),
		),
		runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
	)
}

/// How an oracle signs the readings it submits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Signing {
	/// Each batch as a whole, with one signature (`Readings.submit_batch`): one signature
	/// check a batch, 32 bytes a reading.
	Batch,
	/// Each reading on its own (`Readings.submit_readings`), as meters that sign their own
	/// readings do.
	Reading,
}

/// The call that submits `readings` as one batch, signed by `oracle` as `signing` says.
pub fn submit(
	signing: Signing,
	genesis: Hash,
	oracle: &sr25519::Pair,
	readings: &[Reading],
) -> Box<dyn Payload + Send + Sync> {
	match signing {
		Signing::Batch => Box::new(signed_batch(genesis, oracle, readings.to_vec())),
		Signing::Reading => {
			Box::new(batch(readings.iter().map(|r| sign(genesis, oracle, *r)).collect()))
		}
	}
}
