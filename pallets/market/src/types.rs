//! The market's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use peergrid_primitives::{Wh, ZoneId};
use scale_info::TypeInfo;

pub use peergrid_primitives::OrderId;

/// Prices are per kWh and amounts in Wh: a price must be a whole number of the currency's
/// smallest unit per Wh, i.e. a multiple of this many units per kWh.
pub const WH_PER_KWH: u32 = 1_000;

/// Which way an order trades credits.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum Side {
	/// Buys credits, paying the native currency.
	Buy,
	/// Sells credits, for the native currency.
	Sell,
}

impl Side {
	/// The side an order of this side trades with.
	pub fn opposite(self) -> Side {
		match self {
			Side::Buy => Side::Sell,
			Side::Sell => Side::Buy,
		}
	}
}

/// An open order.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Order<AccountId, Balance, BlockNumber> {
	/// Who placed it.
	pub owner: AccountId,
	/// Buy or sell.
	pub side: Side,
	/// The zone it was placed in: where the seller's energy comes from, or where the buyer
	/// takes it. The owner had an active meter there when placing it.
	pub zone: ZoneId,
	/// The amount placed, in Wh.
	pub amount: Wh,
	/// What is still open, in Wh: more than zero and at most `amount`.
	pub remaining: Wh,
	/// The limit price per kWh in the native currency. For a sell order, the least it accepts
	/// for the energy; for a buy order, the most it pays, grid fee included.
	pub price: Balance,
	/// The deposit held while the order is open, returned when it closes.
	pub deposit: Balance,
	/// The block it was placed in.
	pub placed_at: BlockNumber,
	/// The block at whose start it expires, if any.
	pub expires_at: Option<BlockNumber>,
}

/// An order's place in its book. A book is sorted best first: sell orders by ascending price,
/// buy orders by descending price, then each by placement (lower id first).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct BookEntry<Balance> {
	/// The order's limit price per kWh.
	pub price: Balance,
	/// The order.
	pub order: OrderId,
}

/// Why the unfilled rest of a new order was returned to its owner instead of resting.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum Truncation {
	/// It traded with `MaxFills` resting orders and could still trade: resting, it would sit
	/// in a crossed book that nothing matches again.
	FillLimit,
	/// It traded, but its book is full.
	BookFull,
	/// It traded, but its owner already has the most open orders.
	TooManyOrders,
	/// It traded, but its expiry block already has the most expiring orders.
	ExpiryBlockFull,
}

/// What a placement did, which its weight is charged for (`Pallet::placement_weight`).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Placement {
	/// Its side.
	pub side: Side,
	/// The resting orders it traded with.
	pub fills: u32,
	/// The fills whose grid fee the market kept for the operator (`UnpaidFees`).
	pub fees_owed: u32,
	/// The owner's own orders it passed over.
	pub passed_over: u32,
	/// The owner's meter records read to find one in the order's zone.
	pub meters_read: u32,
	/// The other zones' books it read.
	pub routes_read: u32,
	/// Whether it has an expiry.
	pub expires: bool,
	/// Whether its rest rests in its book.
	pub rests: bool,
}
