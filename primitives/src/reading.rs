//! A meter reading and the exact bytes an oracle signs for it: defined once, here, for the
//! readings pallet that verifies the signature and for every client that makes one (the
//! `peergrid-client` library, the `peergrid` command-line client, the tests).

use crate::{IntervalIndex, MeterId, Registers, Wh};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

/// The domain tag that starts every signed reading payload, so that a signature over a
/// reading can never be mistaken for a signature over anything else.
pub const DOMAIN_TAG: [u8; 19] = *b"peergrid/reading/v1";

/// The domain tag that starts every signed batch payload (version 1 of the batch payload): a
/// batch signature can never be mistaken for a reading's, nor for anything else's.
pub const BATCH_DOMAIN_TAG: [u8; 25] = *b"peergrid/reading-batch/v1";

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

/// The bytes an oracle signs for a whole batch of `readings` on the chain whose genesis hash is
/// `genesis`: `SCALE((BATCH_DOMAIN_TAG, genesis, readings))`, that is the 25 ASCII bytes of the
/// tag, the 32 bytes of the hash, the number of readings as a SCALE compact integer, then each
/// reading's meter, interval, imported and exported registers as little-endian `u64`s (32
/// bytes a reading): `57 + compact(n) + 32 n` bytes.
pub fn batch_signing_payload<Hash: Encode>(genesis: &Hash, readings: &[Reading]) -> Vec<u8> {
	(BATCH_DOMAIN_TAG, genesis, readings).encode()
}
