//! The energy runtime API: what the node's `energy_` JSON-RPC methods ask the runtime, so that
//! wallets and regulators get answers without decoding raw storage.
//!
//! Every type here is serialized by the node as JSON with camelCase field names; balances (the
//! native currency, 12 decimals) are decimal strings, because they exceed what a JavaScript
//! number holds exactly.

use crate::{IntervalIndex, MeterId, MeterKind, MeterStatus, OrderId, Registers, Wh, ZoneId};
use alloc::vec::Vec;
use codec::{Codec, Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use serde::{Deserialize, Serialize};

/// How many of the most recent settlement intervals consensus state keeps each zone's totals
/// for, and so the most one `zone_totals` query may span: 7 days of 15 minutes. Older totals
/// are in the events of their blocks (exports, an indexer).
pub const MAX_TOTALS_RANGE: u64 = 7 * 96;

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
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct AccountPosition<Balance> {
	/// Credits it can transfer, sell or retire, in Wh.
	pub free_wh: Wh,
	/// Credits held by its open sell orders, in Wh.
	pub held_wh: Wh,
	/// Credits ever minted to it for its meters' exports, in Wh.
	pub minted_wh: Wh,
	/// Credits it bought on the market, in Wh.
	pub bought_wh: Wh,
	/// Credits it sold on the market, in Wh.
	pub sold_wh: Wh,
	/// What it paid for the credits it bought, grid fees included.
	#[serde(with = "decimal")]
	pub paid: Balance,
	/// What it received for the credits it sold.
	#[serde(with = "decimal")]
	pub received: Balance,
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

/// One trade, as the market keeps it for the zones it concerns.
#[derive(Clone, PartialEq, Eq, Debug, Encode, Decode, DecodeWithMemTracking)]
#[derive(MaxEncodedLen, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "AccountId: Serialize, Balance: core::fmt::Display, BlockNumber: Serialize",
	deserialize = "AccountId: Deserialize<'de>, Balance: core::str::FromStr, BlockNumber: Deserialize<'de>"
))]
pub struct TradeRecord<AccountId, Balance, BlockNumber> {
	/// Its number among the trades of the zone it was listed under, from 0.
	pub seq: u64,
	/// The block it was settled in.
	pub block: BlockNumber,
	/// That block's time, in seconds since the Unix epoch.
	pub timestamp: u64,
	/// The buy order.
	pub buy_order: OrderId,
	/// The sell order.
	pub sell_order: OrderId,
	/// Who received the credits.
	pub buyer: AccountId,
	/// Who received the payment.
	pub seller: AccountId,
	/// The buy order's zone.
	pub buyer_zone: ZoneId,
	/// The sell order's zone.
	pub seller_zone: ZoneId,
	/// The credits traded, in Wh.
	pub amount_wh: Wh,
	/// The energy price per kWh the seller received.
	#[serde(with = "decimal")]
	pub price: Balance,
	/// The grid fee per kWh the buyer paid on top.
	#[serde(with = "decimal")]
	pub fee: Balance,
}

/// What happened in a zone over a range of settlement intervals.
#[derive(Clone, PartialEq, Eq, Debug, Default, Encode, Decode, TypeInfo, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[serde(bound(
	serialize = "Balance: core::fmt::Display",
	deserialize = "Balance: core::str::FromStr"
))]
pub struct ZoneTotals<Balance> {
	/// The zone.
	pub zone: ZoneId,
	/// The first interval of the range.
	pub from: IntervalIndex,
	/// The last interval of the range (included).
	pub to: IntervalIndex,
	/// Readings accepted for the zone's meters at intervals in the range.
	pub readings: u64,
	/// Energy the zone's meters exported (credits minted), in Wh.
	pub exported_wh: Wh,
	/// Energy the zone's meters imported (consumption recorded), in Wh.
	pub imported_wh: Wh,
	/// Trades settled in the range that the zone took part in, as buyer's or seller's zone.
	pub trades: u64,
	/// Credits sold by the zone's sellers, in Wh.
	pub sold_wh: Wh,
	/// Credits bought by the zone's buyers, in Wh.
	pub bought_wh: Wh,
	/// What those trades were worth to the sellers (energy price, grid fees excluded).
	#[serde(with = "decimal")]
	pub value: Balance,
}

/// Why a `zone_totals` query has no answer.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Encode, Decode, TypeInfo, Serialize, Deserialize)]
pub enum TotalsError {
	/// No such zone.
	UnknownZone,
	/// `from` is after `to`.
	EmptyRange,
	/// The range spans more than [`MAX_TOTALS_RANGE`] intervals.
	RangeTooLong,
	/// The range starts before the most recent [`MAX_TOTALS_RANGE`] intervals, the window
	/// whose totals consensus state keeps.
	BeforeWindow,
}

sp_api::decl_runtime_apis! {
	/// The questions wallets and regulators ask of the energy pallets.
	pub trait EnergyApi<AccountId, Balance, BlockNumber>
	where
		AccountId: Codec,
		Balance: Codec,
		BlockNumber: Codec,
	{
		/// A meter by its number, with what its readings did; `None` if not registered.
		fn meter(id: MeterId) -> Option<MeterInfo<AccountId>>;
		/// A meter's number by the utility's identifier of it.
		fn meter_id(external_id: Vec<u8>) -> Option<MeterId>;
		/// An account's credits, trades, consumption, meters and open orders.
		fn account(who: AccountId) -> AccountPosition<Balance>;
		/// A zone's order book by price level; `None` if the zone does not exist.
		fn order_book(zone: ZoneId) -> Option<OrderBook<Balance>>;
		/// A zone's most recent trades, newest first, at most `limit` (and at most as many as
		/// the market keeps per zone); `None` if the zone does not exist.
		fn recent_trades(
			zone: ZoneId,
			limit: u32,
		) -> Option<Vec<TradeRecord<AccountId, Balance, BlockNumber>>>;
		/// A zone's totals over the settlement intervals `from..=to`.
		fn zone_totals(
			zone: ZoneId,
			from: IntervalIndex,
			to: IntervalIndex,
		) -> Result<ZoneTotals<Balance>, TotalsError>;
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
