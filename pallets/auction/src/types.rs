//! The auction's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use peergrid_primitives::{IntervalIndex, MeterId, Wh, ZoneId};
use scale_info::TypeInfo;

pub use peergrid_primitives::auction::{
	OrderTerms, Product, Side, StandingTerms, ALL_HOURS, STANDING_NONCE,
};

/// Prices are per kWh and quantities in Wh: a price must be a whole number of the currency's
/// smallest unit per Wh, i.e. a multiple of this many units per kWh, so that every payment is
/// exact.
pub const WH_PER_KWH: u32 = 1_000;

/// An order placed in an auction, kept until its product clears (or, if it is allocated
/// energy, until it settles). A cancelled order keeps its record with nothing open, so that
/// its signed terms cannot be placed again.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct PlacedOrder<Balance> {
	/// The meter it names.
	pub meter: MeterId,
	/// Its limit price per kWh.
	pub price: Balance,
	/// The energy still in the auction, in Wh: its quantity until clearing (zero once
	/// cancelled), then what clearing allocated it.
	pub quantity: Wh,
	/// What its trader has on hold for it: a bid's quantity at its limit price, an offer's
	/// collateral; after clearing, what its allocation needs.
	pub held: Balance,
}

/// Where an interval's auctions stand by the clock.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Window {
	/// Its window has not opened.
	NotOpenYet,
	/// Taking orders.
	Open,
	/// Its gate has closed.
	Closed,
}

/// Where a product's auction stands.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub enum Stage {
	/// Taking orders until gate closure.
	Open,
	/// Gate closed: its orders are being allocated, a step at a time.
	Clearing,
	/// Cleared: waiting for its sellers' readings of the interval.
	Delivering,
	/// Its orders are being settled, a step at a time: bids first, then offers.
	Settling,
	/// Gate closed: its zone's standing orders are entering it, a step at a time, before it
	/// clears.
	Entering,
}

/// A standing order: what it places in each auction of its zone that it enters.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct StandingOrder<Balance> {
	/// Bid or offer.
	pub side: Side,
	/// The trader's meter in the zone.
	pub meter: MeterId,
	/// The energy of each order, in Wh.
	pub quantity: Wh,
	/// The limit price per kWh of each order.
	pub price: Balance,
	/// The hours of the day (UTC) whose intervals it enters: bit `h` for hour `h`.
	pub hours: u32,
	/// The first interval it enters: the first whose gate had not closed when it was set.
	pub from: IntervalIndex,
	/// What its trader holds for it (`StandingDeposit`) until it is cancelled.
	pub deposit: Balance,
}

impl<Balance> StandingOrder<Balance> {
	/// Whether it enters the auction of `interval` (of `seconds` each): from its first
	/// interval on, at its hours.
	pub fn enters(&self, interval: IntervalIndex, seconds: u64) -> bool {
		interval >= self.from
			&& peergrid_primitives::auction::in_hours(self.hours, interval, seconds)
	}
}

/// How far a step-by-step pass over a product's orders has got.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Cursor<AccountId> {
	/// The side being walked.
	pub side: Side,
	/// The last order done on that side, as (trader, nonce); `None`: none yet.
	pub last: Option<(AccountId, u64)>,
	/// Where cumulative rounding has got to: the energy of the orders so far at the
	/// rationed level (clearing), or the allocations of the bids so far (settlement).
	pub cumulative: Wh,
}

impl<AccountId> Cursor<AccountId> {
	/// A pass that starts with `side`'s first order.
	pub fn start(side: Side) -> Self {
		Cursor { side, last: None, cumulative: 0 }
	}
}

/// A product's auction: where it stands and what it has come to.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct AuctionState<AccountId, Balance> {
	/// Its stage.
	pub stage: Stage,
	/// How far clearing or settlement has got.
	pub cursor: Option<Cursor<AccountId>>,
	/// The orders it holds.
	pub orders: u32,
	/// The clearing, once the gate has closed.
	pub result: Option<Clearing<Balance>>,
	/// The sellers' meters allocated energy whose reading of the interval is not in.
	pub pending: u32,
	/// The energy the sellers' readings delivered against their allocations, in Wh.
	pub delivered: Wh,
}

impl<AccountId, Balance> AuctionState<AccountId, Balance> {
	/// A product's auction before its first order.
	pub fn open() -> Self {
		AuctionState {
			stage: Stage::Open,
			cursor: None,
			orders: 0,
			result: None,
			pending: 0,
			delivered: 0,
		}
	}
}

/// How a side's orders share the cleared volume: in price priority, orders better than the
/// marginal price whole, those at it pro rata, worse ones nothing.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct SideRule<Balance> {
	/// The worst limit price that is allocated anything.
	pub marginal: Balance,
	/// The energy allocated to the orders at the marginal price, in Wh.
	pub rationed: Wh,
	/// The energy the orders at the marginal price asked for, in Wh (at least `rationed`).
	pub at_marginal: Wh,
}

/// A product's clearing: one price for all, the volume, and how each side shares it.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Clearing<Balance> {
	/// The clearing price per kWh, paid by every buyer and to every seller.
	pub price: Balance,
	/// The energy traded, in Wh.
	pub volume: Wh,
	/// How bids share it.
	pub bids: SideRule<Balance>,
	/// How offers share it.
	pub offers: SideRule<Balance>,
}

/// A seller's meter's delivery in an interval: what clearing allocated its offers and what
/// its reading delivered.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Delivery {
	/// The zone of the product.
	pub zone: ZoneId,
	/// The energy allocated to its offers and not settled yet, in Wh.
	pub allocated: Wh,
	/// What its reading of the interval delivered against them and is not settled yet, in
	/// Wh; `None` until the reading is in.
	pub delivered: Option<Wh>,
}

/// An order its trader signed for a relayer to submit (`submit_orders`): the signature is
/// over [`peergrid_primitives::auction::order_signing_payload`] of the trader, the nonce and
/// the terms on this chain.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct SignedOrder<AccountId, Balance, Signature> {
	/// The trader, who signed it.
	pub trader: AccountId,
	/// The trader's nonce that names it.
	pub nonce: u64,
	/// What it trades.
	pub terms: OrderTerms<Balance>,
	/// The trader's signature.
	pub signature: Signature,
}
