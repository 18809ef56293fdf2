//! Readings, their signed form, the exact bytes an oracle signs, and each meter's state.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use peergrid_primitives::{IntervalIndex, MeterId, Registers, Wh};
use scale_info::TypeInfo;

/// The domain tag that starts every signed reading payload, so that a signature over a
/// reading can never be mistaken for a signature over anything else.
pub const DOMAIN_TAG: [u8; 19] = *b"peergrid/reading/v1";

/// A meter's cumulative registers at the end of a settlement interval.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Reading {
	/// The meter.
	pub meter: MeterId,
	/// The settlement interval it closes: seconds since the Unix epoch divided by the
	/// interval length (900 s), rounded down.
	pub interval: IntervalIndex,
	/// Cumulative energy imported from the grid, in Wh.
	pub imported_wh: Wh,
	/// Cumulative energy exported to the grid, in Wh.
	pub exported_wh: Wh,
}

impl Reading {
	/// The registers of the reading.
	pub fn registers(&self) -> Registers {
		Registers { imported_wh: self.imported_wh, exported_wh: self.exported_wh }
	}
}

/// The bytes an oracle signs for `reading` on the chain whose genesis hash is `genesis`:
/// `SCALE((DOMAIN_TAG, genesis, reading))`, that is the 19 ASCII bytes of the tag, the 32
/// bytes of the hash, then the meter, interval, imported and exported registers as
/// little-endian `u64`s: 83 bytes in all.
pub fn signing_payload<Hash: Encode>(genesis: &Hash, reading: &Reading) -> Vec<u8> {
	(DOMAIN_TAG, genesis, reading).encode()
}

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

/// What the accepted readings of one zone recorded for one settlement interval.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct IntervalMetering {
	/// How many readings were accepted.
	pub readings: u32,
	/// Energy exported since the meters' previous readings, in Wh: the credits minted.
	pub exported_wh: Wh,
	/// Energy imported since the meters' previous readings, in Wh: the consumption recorded.
	pub imported_wh: Wh,
}
