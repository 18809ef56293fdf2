//! The token's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use peergrid_primitives::Wh;
use scale_info::TypeInfo;

/// An account's credits, and its energy on record: what its meters exported and imported, and
/// what of its consumption its retired credits cover. One record, so that a reading writes one
/// item of its owner's.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct CreditAccount {
	/// Credits the account can transfer or retire.
	pub free: Wh,
	/// Credits on hold (escrowed by the market for open sell orders), the sum of its holds.
	pub held: Wh,
	/// Credits ever minted to it for its meters' exports, in Wh: its history, kept when the
	/// credits are spent.
	pub minted: Wh,
	/// Energy its meters took from the grid, by accepted readings, in Wh.
	pub metered: Wh,
	/// Credits it retired against that consumption, in Wh. Never more than `metered`.
	pub retired: Wh,
}

impl CreditAccount {
	/// Metered consumption not yet covered by retired credits.
	pub fn uncovered(&self) -> Wh {
		self.metered.saturating_sub(self.retired)
	}

	/// Nothing held, nothing on record: such an account is not stored.
	pub fn is_empty(&self) -> bool {
		*self == Self::default()
	}
}

/// One hold on an account's credits.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Hold<Reason> {
	/// Why the credits are held (e.g. an open sell order of the market).
	pub reason: Reason,
	/// How many.
	pub amount: Wh,
}
