//! The answers of the energy runtime API (`peergrid_primitives::api::EnergyApi`), composed
//! from the meters, readings, credits and market pallets.

use alloc::vec::Vec;
use pallet_market::Side;
use peergrid_primitives::{
	api::{AccountPosition, AuctionInfo, AuctionOrders, MeterInfo, OrderBook, PriceLevel},
	auction::Product,
	IntervalIndex, MeterId, ZoneId,
};

use super::{AccountId, Balance, Runtime};

/// A meter with its readings' totals.
pub fn meter(id: MeterId) -> Option<MeterInfo<AccountId>> {
	let meter = pallet_meters::Meters::<Runtime>::get(id)?;
	let state = pallet_readings::MeterStates::<Runtime>::get(id);
	Some(MeterInfo {
		id,
		external_id: meter.external_id.into_inner(),
		owner: meter.owner,
		zone: meter.zone,
		kind: meter.kind,
		status: meter.status,
		capacity_w: meter.capacity_w,
		registered_at: meter.registered_at,
		last_interval: state.map(|s| s.last_interval).or(meter.baseline.map(|b| b.interval)),
		registers: state.map(|s| s.registers).or(meter.baseline.map(|b| b.registers)),
		readings: state.map(|s| s.readings).unwrap_or_default(),
		credits_minted_wh: state.map(|s| s.credits_minted).unwrap_or_default(),
		consumption_wh: state.map(|s| s.consumption_recorded).unwrap_or_default(),
	})
}

/// A meter's number by its external identifier.
pub fn meter_id(external_id: Vec<u8>) -> Option<MeterId> {
	let key = pallet_meters::ExternalMeterId::try_from(external_id).ok()?;
	pallet_meters::MeterByExternalId::<Runtime>::get(key)
}

/// An account's energy position.
pub fn account(who: AccountId) -> AccountPosition {
	let credits = pallet_credits::Accounts::<Runtime>::get(&who);
	AccountPosition {
		free_wh: credits.free,
		held_wh: credits.held,
		minted_wh: credits.minted,
		consumed_wh: credits.metered,
		retired_wh: credits.retired,
		uncovered_wh: credits.uncovered(),
		meters: pallet_meters::MetersByOwner::<Runtime>::get(&who).into_inner(),
		open_orders: pallet_market::OrdersOf::<Runtime>::get(&who).into_inner(),
	}
}

/// A zone's order book by price level, best first on each side.
pub fn order_book(zone: ZoneId) -> Option<OrderBook<Balance>> {
	pallet_meters::Zones::<Runtime>::get(zone)?;
	let side = |side: Side| {
		let mut levels: Vec<PriceLevel<Balance>> = Vec::new();
		for entry in pallet_market::Books::<Runtime>::get(zone, side) {
			let Some(order) = pallet_market::Orders::<Runtime>::get(entry.order) else { continue };
			match levels.last_mut() {
				Some(level) if level.price == entry.price => {
					level.amount_wh = level.amount_wh.saturating_add(order.remaining);
					level.orders = level.orders.saturating_add(1);
				}
				_ => levels.push(PriceLevel {
					price: entry.price,
					amount_wh: order.remaining,
					orders: 1,
				}),
			}
		}
		levels
	};
	Some(OrderBook { zone, bids: side(Side::Buy), asks: side(Side::Sell) })
}

/// A zone's auction of a delivery interval; `None` if the zone does not exist.
pub fn auction(zone: ZoneId, interval: IntervalIndex) -> Option<AuctionInfo<Balance>> {
	pallet_meters::Zones::<Runtime>::get(zone)?;
	Some(pallet_auction::Pallet::<Runtime>::auction_info(Product { zone, interval }))
}

/// An account's orders in a zone's auctions of `count` intervals from `first`, as far as
/// `MAX_AUCTION_ORDERS_READ` orders read allow; `None` if the zone does not exist.
pub fn auction_orders(
	who: AccountId,
	zone: ZoneId,
	first: IntervalIndex,
	count: u32,
) -> Option<AuctionOrders<Balance>> {
	pallet_meters::Zones::<Runtime>::get(zone)?;
	let budget = peergrid_primitives::api::MAX_AUCTION_ORDERS_READ;
	Some(pallet_auction::Pallet::<Runtime>::orders_of(&who, zone, first, count, budget))
}
