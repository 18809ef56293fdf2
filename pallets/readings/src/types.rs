//! Readings (defined in `peergrid-primitives`, with the exact bytes an oracle signs), their
//! signed form, and each meter's state.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use peergrid_primitives::{IntervalIndex, Registers, Wh};
use scale_info::TypeInfo;

pub use peergrid_primitives::reading::{
	batch_signing_payload, signing_payload, Reading, BATCH_DOMAIN_TAG, DOMAIN_TAG,
};

/// A reading with its oracle's signature: what a relayer submits.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SignedReading<AccountId, Signature> {
	/// The reading.
	pub reading: Reading,
	/// The oracle's account (its public key, or for ecdsa the hash of it).
	pub oracle: AccountId,
	/// The oracle's signature of [`signing_payload`].
	pub signature: Signature,
}

/// What the chain knows of a meter's readings.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct MeterState {
	/// The interval of the last accepted reading.
	pub last_interval: IntervalIndex,
	/// The registers of the last accepted reading.
	pub registers: Registers,
	/// How many readings were accepted.
	pub readings: u32,
	/// Credits minted for its exports, in Wh.
	pub credits_minted: Wh,
	/// Consumption recorded for its imports, in Wh.
	pub consumption_recorded: Wh,
}
