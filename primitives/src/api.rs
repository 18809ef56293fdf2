//! The energy runtime API: what the node's `energy_` JSON-RPC methods ask the runtime, so that
//! wallets and regulators get answers without decoding raw storage.
//!
//! Every type here is serialized by the node as JSON with camelCase field names; balances (the
//! native currency, 12 decimals) are decimal strings, because they exceed what a JavaScript
//! number holds exactly.

use crate::{
	auction::Side, IntervalIndex, MeterId, MeterKind, MeterStatus, OrderId, Registers, Wh, ZoneId,
};
use alloc::vec::Vec;
use codec::{Codec, Decode, Encode};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// A registered meter and what its readings did.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MeterInfo<AccountId> {
	/// The meter.
	pub id: MeterId,
	/// The utility's identifier of it (UTF-8 as registered).
	#[serde(with = "utf8")]
	pub external_id: Vec<u8>,
	/// Who receives its credits and is charged its consumption.
	pub owner: AccountId,
	/// The zone it is connected in.
	pub zone: ZoneId,
	/// What it measures.
	pub kind: MeterKind,
	/// Whether its readings are accepted.
	pub status: MeterStatus,
	/// The most power it carries, in W.
	pub capacity_w: u32,
	/// When it was registered, in seconds since the Unix epoch.
	pub registered_at: u64,
	/// The interval of its last accepted reading, if any.
	pub last_interval: Option<IntervalIndex>,
	/// Its registers at that reading (or its baseline, before any reading).
	pub registers: Option<Registers>,
	/// How many of its readings were accepted.
	pub readings: u32,
	/// Credits minted for its exports, in Wh.
	pub credits_minted_wh: Wh,
	/// Consumption recorded for its imports, in Wh.
	pub consumption_wh: Wh,
}

/// An account's energy position.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccountPosition {
	/// Credits it can transfer, sell or retire, in Wh.
	pub free_wh: Wh,
	/// Credits held by its open sell orders, in Wh.
	pub held_wh: Wh,
	/// Credits ever minted to it for its meters' exports, in Wh.
	pub minted_wh: Wh,
	/// Its metered consumption, in Wh.
	pub consumed_wh: Wh,
	/// Credits it retired against that consumption, in Wh.
	pub retired_wh: Wh,
	/// Consumption not yet covered by retired credits, in Wh.
	pub uncovered_wh: Wh,
	/// The meters it owns.
	pub meters: Vec<MeterId>,
	/// Its open orders.
	pub open_orders: Vec<OrderId>,
}

/// One price level of a book: the open orders at one limit price.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct PriceLevel<Balance> {
	/// The limit price per kWh (a buy's includes the grid fee it will pay).
	#[serde(with = "decimal")]
	pub price: Balance,
	/// The credits still open at that price, in Wh.
	pub amount_wh: Wh,
	/// How many orders.
	pub orders: u32,
}

/// A zone's order book, aggregated by price level.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct OrderBook<Balance> {
	/// The zone.
	pub zone: ZoneId,
	/// The buy side, best (highest) price first.
	pub bids: Vec<PriceLevel<Balance>>,
	/// The sell side, best (lowest) price first.
	pub asks: Vec<PriceLevel<Balance>>,
}

/// Where an interval's auction in a zone stands, as a wallet sees it.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AuctionStage {
	/// Its window has not opened: it takes no order yet.
	NotOpenYet,
	/// Taking orders until its gate closes.
	Open,
	/// Its gate has closed: its orders are being allocated.
	Clearing,
	/// Cleared: waiting for its sellers' readings of the interval.
	Delivering,
	/// Its orders are being settled.
	Settling,
	/// Over: settled, or closed without an order. Its history is in the chain's events and
	/// the indexer.
	Closed,
}

/// The energy of one side's open orders at one limit price.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct CurveLevel<Balance> {
	/// The limit price per kWh.
	#[serde(with = "decimal")]
	pub price: Balance,
	/// The energy of the orders at that price, in Wh.
	pub energy_wh: Wh,
}

/// A clearing: one price for every trade, and the energy traded.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct AuctionResult<Balance> {
	/// The price per kWh every buyer pays and every seller is paid.
	#[serde(with = "decimal")]
	pub price: Balance,
	/// The energy traded, in Wh.
	pub volume_wh: Wh,
}

/// An interval's auction in one zone.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct AuctionInfo<Balance> {
	/// The zone of delivery.
	pub zone: ZoneId,
	/// The delivery interval.
	pub interval: IntervalIndex,
	/// Where it stands, by the chain's clock.
	pub stage: AuctionStage,
	/// When its window opens, in seconds since the Unix epoch.
	pub opens_at: u64,
	/// When its gate closes and it clears, in seconds since the Unix epoch.
	pub gate_closes_at: u64,
	/// Its orders: until clearing, cancelled ones included; after, those allocated energy.
	pub orders: u32,
	/// Until its gate closes: the energy of the open bids per limit price, highest first.
	pub bids: Vec<CurveLevel<Balance>>,
	/// Until its gate closes: the energy of the open offers per limit price, lowest first.
	pub offers: Vec<CurveLevel<Balance>>,
	/// Until its gate closes: where it would clear if the gate closed now, by the same rule.
	pub indicative: Option<AuctionResult<Balance>>,
	/// Once its gate has closed, until it settles: its clearing; `None` if no bid met an
	/// offer.
	pub result: Option<AuctionResult<Balance>>,
	/// The sellers' meters allocated energy whose reading of the interval is not in.
	pub pending_readings: u32,
	/// The energy the sellers' readings delivered against their allocations, in Wh.
	pub delivered_wh: Wh,
}

/// A trader's order in an interval's auction.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct AuctionOrder<Balance> {
	/// The delivery interval of its auction.
	pub interval: IntervalIndex,
	/// Bid or offer.
	pub side: Side,
	/// The trader's nonce that names it.
	pub nonce: u64,
	/// The trader's meter it names.
	pub meter: MeterId,
	/// Its limit price per kWh.
	#[serde(with = "decimal")]
	pub price: Balance,
	/// Its energy (0 once cancelled) until its auction's clearing comes to it; after, the
	/// energy allocated to it, in Wh.
	pub quantity_wh: Wh,
	/// What its trader has on hold for it: a bid's escrow, an offer's collateral, and the
	/// order deposit until clearing.
	#[serde(with = "decimal")]
	pub held: Balance,
}

/// An account's orders in a zone's auctions, as far as one question reads.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct AuctionOrders<Balance> {
	/// Its orders, by interval, side and nonce.
	pub orders: Vec<AuctionOrder<Balance>>,
	/// If the question read `MAX_AUCTION_ORDERS_READ` orders before its last interval: the
	/// first interval not read, to ask again from.
	pub next: Option<IntervalIndex>,
}

/// The most intervals one `auction_orders` question covers: two days of 15-minute intervals.
pub const MAX_AUCTION_QUERY_INTERVALS: u32 = 192;

/// About the most orders one `auction_orders` question reads: it reads no auction after this
/// many (each auction whole, at most `MaxOrdersPerProduct` orders), and says where it stopped.
pub const MAX_AUCTION_ORDERS_READ: u32 = 50_000;

sp_api::decl_runtime_apis! {
	/// The questions wallets and regulators ask of the energy pallets' current state. History
	/// (trades, a zone's totals per interval, an account's trading) is in the events, and served
	/// by the indexer (docs/indexer.md).
	///
	/// Version 2 (spec 105) dropped `recent_trades` and `zone_totals`, and an account's trading
	/// totals from `account`, with the history they were answered from. Version 3 (spec 107)
	/// added the delivery auction's `auction` and `auction_orders`.
	#[api_version(3)]
	pub trait EnergyApi<AccountId, Balance>
	where
		AccountId: Codec,
		Balance: Codec,
	{
		/// A meter by its number, with what its readings did; `None` if not registered.
		fn meter(id: MeterId) -> Option<MeterInfo<AccountId>>;
		/// A meter's number by the utility's identifier of it.
		fn meter_id(external_id: Vec<u8>) -> Option<MeterId>;
		/// An account's credits as version 1 answered them, with its trading totals.
		#[changed_in(2)]
		fn account(who: AccountId) -> AccountPositionV1<Balance>;
		/// An account's credits, consumption, meters and open orders.
		fn account(who: AccountId) -> AccountPosition;
		/// A zone's order book by price level; `None` if the zone does not exist.
		fn order_book(zone: ZoneId) -> Option<OrderBook<Balance>>;
		/// A zone's auction of a delivery interval, open, closed or not yet open; `None` if
		/// the zone does not exist.
		fn auction(zone: ZoneId, interval: IntervalIndex) -> Option<AuctionInfo<Balance>>;
		/// An account's orders not settled yet in a zone's auctions of `count` intervals from
		/// `first` (at most `MAX_AUCTION_QUERY_INTERVALS`), as far as `MAX_AUCTION_ORDERS_READ`
		/// orders read allow; `None` if the zone does not exist.
		fn auction_orders(
			who: AccountId,
			zone: ZoneId,
			first: IntervalIndex,
			count: u32,
		) -> Option<AuctionOrders<Balance>>;
	}
}

/// `account` as version 1 of the API answered it (runtimes before spec 105): the node decodes
/// it at their blocks and leaves out the trading totals.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo)]
pub struct AccountPositionV1<Balance> {
	/// Credits it can transfer, sell or retire, in Wh.
	pub free_wh: Wh,
	/// Credits held by its open sell orders, in Wh.
	pub held_wh: Wh,
	/// Credits ever minted to it, in Wh.
	pub minted_wh: Wh,
	/// Credits it bought on the market, in Wh.
	pub bought_wh: Wh,
	/// Credits it sold on the market, in Wh.
	pub sold_wh: Wh,
	/// What it paid for the credits it bought, grid fees included.
	pub paid: Balance,
	/// What it received for the credits it sold.
	pub received: Balance,
	/// Its metered consumption, in Wh.
	pub consumed_wh: Wh,
	/// Credits it retired, in Wh.
	pub retired_wh: Wh,
	/// Consumption not yet covered by retired credits, in Wh.
	pub uncovered_wh: Wh,
	/// The meters it owns.
	pub meters: Vec<MeterId>,
	/// Its open orders.
	pub open_orders: Vec<OrderId>,
}

impl<Balance> From<AccountPositionV1<Balance>> for AccountPosition {
	fn from(v1: AccountPositionV1<Balance>) -> Self {
		AccountPosition {
			free_wh: v1.free_wh,
			held_wh: v1.held_wh,
			minted_wh: v1.minted_wh,
			consumed_wh: v1.consumed_wh,
			retired_wh: v1.retired_wh,
			uncovered_wh: v1.uncovered_wh,
			meters: v1.meters,
			open_orders: v1.open_orders,
		}
	}
}

/// Serde of a balance as a decimal string.
mod decimal {
	use alloc::string::{String, ToString};
	use core::{fmt::Display, str::FromStr};
	use serde::{de::Error, Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer, T: Display>(value: &T, s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&value.to_string())
	}

	pub fn deserialize<'de, D: Deserializer<'de>, T: FromStr>(d: D) -> Result<T, D::Error> {
		let s = String::deserialize(d)?;
		s.parse().map_err(|_| D::Error::custom("not a decimal number"))
	}
}

/// Serde of bytes as a UTF-8 string (lossy: identifiers are registered as text).
mod utf8 {
	use alloc::{string::String, vec::Vec};
	use serde::{Deserialize, Deserializer, Serializer};

	pub fn serialize<S: Serializer>(bytes: &[u8], s: S) -> Result<S::Ok, S::Error> {
		s.serialize_str(&String::from_utf8_lossy(bytes))
	}

	pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<u8>, D::Error> {
		Ok(String::deserialize(d)?.into_bytes())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A runtime before spec 105 answers `account` in version 1's layout: the node decodes it
	/// as `AccountPositionV1` and leaves the trading totals out.
	#[test]
	fn an_answer_of_version_1_decodes_and_keeps_its_credits() {
		// Version 1's fields in their order: free, held, minted, bought, sold, paid, received,
		// consumed, retired, uncovered, meters, open orders.
		let v1 = (23_133u64, 3_000u64, 33_133u64, 1u64, 7_000u64, 2u128, 1_050u128).encode();
		let bytes = [v1, (7_275u64, 0u64, 7_275u64, vec![0u64, 4], vec![9u64]).encode()].concat();
		let answer = AccountPositionV1::<u128>::decode(&mut &bytes[..]).expect("it decodes");
		assert_eq!((answer.sold_wh, answer.received), (7_000, 1_050));
		let position = AccountPosition::from(answer);
		assert_eq!(
			position,
			AccountPosition {
				free_wh: 23_133,
				held_wh: 3_000,
				minted_wh: 33_133,
				consumed_wh: 7_275,
				retired_wh: 0,
				uncovered_wh: 7_275,
				meters: vec![0, 4],
				open_orders: vec![9],
			}
		);
	}
}
