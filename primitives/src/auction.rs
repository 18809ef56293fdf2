//! An order of the delivery auction and the exact bytes its trader signs for it: defined once,
//! here, for the auction pallet that verifies the signature and for every client that makes
//! one (a wallet, an app a household delegates to, a relayer, the tests).

use crate::{IntervalIndex, MeterId, Wh, ZoneId};
use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// The domain tag that starts every signed order payload (version 1), so that a signature
/// over an order can never be mistaken for a signature over anything else (a reading, a
/// batch of readings, a transaction).
pub const ORDER_DOMAIN_TAG: [u8; 25] = *b"peergrid/auction-order/v1";

/// The transaction pool refuses a batch of signed orders for error `n` of the auction pallet
/// with `InvalidTransaction::Custom(AUCTION_POOL_ERROR_BASE + n)`, apart from the readings
/// pallet's refusals, `Custom(n)` for its error `n` (both pallets have fewer than 100 errors).
pub const AUCTION_POOL_ERROR_BASE: u8 = 100;

/// Which side of an auction an order is on (`"bid"` or `"offer"` in JSON).
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Side {
	/// Buys energy delivered in the interval, paying the native currency.
	Bid,
	/// Sells energy its meter will export in the interval.
	Offer,
}

/// A product: one zone's delivery interval, auctioned once.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Product {
	/// The zone where the energy is delivered and taken.
	pub zone: ZoneId,
	/// The delivery interval.
	pub interval: IntervalIndex,
}

/// An order as its trader places or signs it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct OrderTerms<Balance> {
	/// Bid or offer.
	pub side: Side,
	/// What it trades.
	pub product: Product,
	/// The trader's meter in the zone: the one that exports an offer's energy, or takes a
	/// bid's.
	pub meter: MeterId,
	/// The energy, in Wh: at most the meter's rated power times the interval.
	pub quantity: Wh,
	/// The limit price per kWh: the least an offer accepts, the most a bid pays.
	pub price: Balance,
}

/// The nonces of the orders that standing orders place: standing order `id` places its order in
/// each auction under nonce `STANDING_NONCE | id`. A trader's own nonces, and standing orders'
/// ids, are below it.
pub const STANDING_NONCE: u64 = 1 << 63;

/// A standing order's hours when it has no others: every hour of the day (bits 0 to 23).
pub const ALL_HOURS: u32 = (1 << 24) - 1;

/// A standing order as its trader sets it: an order that enters every auction of its zone
/// whose interval starts in one of its hours, until cancelled.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct StandingTerms<Balance> {
	/// Bid or offer.
	pub side: Side,
	/// The zone whose auctions it enters.
	pub zone: ZoneId,
	/// The trader's meter in the zone, as an order names it.
	pub meter: MeterId,
	/// The energy of each order it places, in Wh.
	pub quantity: Wh,
	/// The limit price per kWh of each order it places.
	pub price: Balance,
	/// The hours of the day (UTC) whose intervals it enters: bit `h` for the hour from `h`:00,
	/// 0 to 23 ([`ALL_HOURS`]: every interval).
	pub hours: u32,
}

/// Whether `hours` (a standing order's mask) has the hour that `interval` (of `seconds`
/// each) starts in, in UTC.
pub fn in_hours(hours: u32, interval: IntervalIndex, seconds: u64) -> bool {
	let hour = interval.saturating_mul(seconds) % 86_400 / 3_600;
	hours & (1u32 << hour) != 0
}

/// The bytes `trader` signs for its order `nonce` with `terms` on the chain whose genesis
/// hash is `genesis`: `SCALE((ORDER_DOMAIN_TAG, genesis, trader, nonce, terms))`. That is the
/// 25 ASCII bytes of the tag, the 32 bytes of the hash, the trader's account (32 bytes on
/// PeerGrid), the nonce as a little-endian `u64`, then the terms: the side (one byte, 0 a bid,
/// 1 an offer), the zone (`u32`), the interval, the meter and the quantity (`u64`s) and the
/// price (`u128` on PeerGrid), all little-endian: 142 bytes on PeerGrid.
pub fn order_signing_payload<Hash: Encode, AccountId: Encode, Balance: Encode>(
	genesis: &Hash,
	trader: &AccountId,
	nonce: u64,
	terms: &OrderTerms<Balance>,
) -> Vec<u8> {
	(ORDER_DOMAIN_TAG, genesis, trader, nonce, terms).encode()
}

#[cfg(test)]
mod tests {
	use super::*;

	/// The worked example of `docs/auction.md`: Bob's offer 7 on PeerGrid, byte by byte.
	#[test]
	fn the_signed_payload_is_laid_out_as_documented() {
		let terms = OrderTerms {
			side: Side::Offer,
			product: Product { zone: 3, interval: 2_000_000 },
			meter: 42,
			quantity: 1_500,
			price: 120_000u128,
		};
		let payload = order_signing_payload(&[0x11u8; 32], &[0x22u8; 32], 7, &terms);
		let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02x}")).collect::<String>();
		assert_eq!(payload.len(), 142);
		assert_eq!(&payload[..25], b"peergrid/auction-order/v1");
		assert_eq!(payload[25..57], [0x11; 32]);
		assert_eq!(payload[57..89], [0x22; 32]);
		assert_eq!(hex(&payload[89..97]), "0700000000000000");
		assert_eq!(
			hex(&payload[97..]),
			concat!(
				"01",                               // side: offer
				"03000000",                         // zone 3
				"80841e0000000000",                 // interval 2,000,000
				"2a00000000000000",                 // meter 42
				"dc05000000000000",                 // quantity 1,500 Wh
				"c0d40100000000000000000000000000", // price 120,000 a kWh
			)
		);
	}
}
