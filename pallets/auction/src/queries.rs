//! What wallets and regulators ask of the auction through the runtime API
//! (`peergrid_primitives::api::EnergyApi`): an interval's auction in a zone, and a trader's
//! orders. Read-only; never called in a block.

use crate::{clearing, pallet::*, types::*};
use alloc::vec::Vec;
use frame_support::traits::Get;
use peergrid_primitives::{
	api::{
		AuctionInfo, AuctionOrder, AuctionOrders, AuctionResult, AuctionStage, CurveLevel,
		MAX_AUCTION_QUERY_INTERVALS,
	},
	IntervalIndex, ZoneId,
};

impl<T: Config> Pallet<T> {
	/// `product`'s auction: where it stands by the chain's clock, its curves and where it
	/// would clear until its gate closes, its clearing and delivery after.
	pub fn auction_info(product: Product) -> AuctionInfo<BalanceOf<T>> {
		let Product { zone, interval } = product;
		let auction = Auctions::<T>::get(interval, zone);
		let window = Self::window(interval);
		let stage = match (auction.as_ref().map(|a| a.stage), window) {
			(None, Window::Closed) => AuctionStage::Closed,
			(None, Window::NotOpenYet) => AuctionStage::NotOpenYet,
			(None, Window::Open) => AuctionStage::Open,
			// The gate closed by the clock, and the hooks have not come to it yet.
			(Some(Stage::Open | Stage::Entering | Stage::Clearing), Window::Closed) => {
				AuctionStage::Clearing
			}
			(Some(Stage::Open | Stage::Entering | Stage::Clearing), _) => AuctionStage::Open,
			(Some(Stage::Delivering), _) => AuctionStage::Delivering,
			(Some(Stage::Settling), _) => AuctionStage::Settling,
		};
		// Until the gate closes, the curves say where the auction stands: its orders', and its
		// zone's standing orders' that will enter it at gate closure.
		let open = window != Window::Closed;
		let (mut bids, mut offers) = (CurveOf::<T>::default(), CurveOf::<T>::default());
		if open {
			bids = Curves::<T>::get(product, Side::Bid);
			offers = Curves::<T>::get(product, Side::Offer);
			Self::add_standing(product, &mut bids, &mut offers);
		}
		let indicative = if open { clearing::clear(&bids, &offers) } else { None };
		let levels = |curve: &[(BalanceOf<T>, _)]| {
			curve
				.iter()
				.map(|&(price, energy_wh)| CurveLevel { price, energy_wh })
				.collect::<Vec<_>>()
		};
		let result =
			|c: Clearing<BalanceOf<T>>| AuctionResult { price: c.price, volume_wh: c.volume };
		let seconds = T::IntervalSeconds::get();
		let at = |before: IntervalIndex| interval.saturating_sub(before).saturating_mul(seconds);
		AuctionInfo {
			zone,
			interval,
			stage,
			opens_at: at(T::OrderWindow::get()),
			gate_closes_at: at(T::GateClosure::get()),
			orders: auction.as_ref().map_or(0, |a| a.orders),
			bids: levels(&bids).into_iter().rev().collect(),
			offers: levels(&offers),
			indicative: indicative.map(result),
			result: auction.as_ref().and_then(|a| a.result).map(result),
			pending_readings: auction.as_ref().map_or(0, |a| a.pending),
			delivered_wh: auction.as_ref().map_or(0, |a| a.delivered),
		}
	}

	/// Adds to the curves of `product` the energy of its zone's standing orders that will
	/// enter it, as if each is covered at gate closure.
	fn add_standing(product: Product, bids: &mut CurveOf<T>, offers: &mut CurveOf<T>) {
		let seconds = T::IntervalSeconds::get();
		for standing in Standing::<T>::iter_prefix_values(product.zone) {
			if !standing.enters(product.interval, seconds) {
				continue;
			}
			let curve = match standing.side {
				Side::Bid => &mut *bids,
				Side::Offer => &mut *offers,
			};
			// One that does not fit (`TooManyPriceLevels`) sits the auction out at gate
			// closure too.
			let _ = Self::add_level(curve, standing.price, standing.quantity);
		}
	}

	/// `who`'s orders in `zone`'s auctions of `count` intervals from `first` (at most
	/// `MAX_AUCTION_QUERY_INTERVALS`) that are not settled, by interval, side and nonce. Orders
	/// are kept by product, not by trader, so that placing one writes no index: this reads
	/// every order of those auctions, and stops before an auction once it has read `budget`
	/// orders (the runtime API's: `MAX_AUCTION_ORDERS_READ`), saying where.
	pub fn orders_of(
		who: &T::AccountId,
		zone: ZoneId,
		first: IntervalIndex,
		count: u32,
		budget: u32,
	) -> AuctionOrders<BalanceOf<T>> {
		let count = count.min(MAX_AUCTION_QUERY_INTERVALS);
		let (mut orders, mut read) = (Vec::new(), 0u32);
		for interval in first..first.saturating_add(count.into()) {
			let Some(auction) = Auctions::<T>::get(interval, zone) else { continue };
			if read >= budget {
				return AuctionOrders { orders, next: Some(interval) };
			}
			read = read.saturating_add(auction.orders);
			let product = Product { zone, interval };
			for side in [Side::Bid, Side::Offer] {
				let start = orders.len();
				orders.extend(Orders::<T>::iter_prefix((product, side)).filter_map(
					|((trader, nonce), order)| {
						(&trader == who).then_some(AuctionOrder {
							interval,
							side,
							nonce,
							meter: order.meter,
							price: order.price,
							quantity_wh: order.quantity,
							held: order.held,
						})
					},
				));
				orders[start..].sort_by_key(|order| order.nonce);
			}
		}
		AuctionOrders { orders, next: None }
	}
}
