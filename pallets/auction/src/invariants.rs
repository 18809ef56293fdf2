//! The auction's invariants (`try_state`): checked after every unit test and, once the
//! auction is in the runtime, every block of the runtime tests and by try-runtime.

use crate::{pallet::*, types::*};
use alloc::collections::btree_map::BTreeMap;
use frame_support::{
	ensure,
	traits::fungible::{Inspect, InspectHold},
};
use peergrid_primitives::Wh;
use sp_runtime::{traits::Zero, Saturating};

impl<T: Config> Pallet<T> {
	/// The auction's invariants:
	/// - the schedule is sorted and lists exactly the intervals that have auctions; `Due`
	///   lists auctions only;
	/// - an open auction's curves are sorted, have no empty level, and add up its open orders;
	///   an auction counts its orders;
	/// - each trader's auction holds are exactly what its orders hold;
	/// - a delivering auction waits for exactly its meters whose reading is not in, and has
	///   been delivered what their readings delivered;
	/// - the auction's account keeps at least the existential deposit.
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let schedule = Schedule::<T>::get();
		ensure!(schedule.windows(2).all(|w| w[0] < w[1]), "the schedule is not sorted");
		let mut holds: BTreeMap<(T::AccountId, Side), BalanceOf<T>> = BTreeMap::new();
		let mut intervals = alloc::vec::Vec::new();
		for (interval, zone, auction) in Auctions::<T>::iter() {
			ensure!(schedule.contains(&interval), "an auction's interval is not scheduled");
			intervals.push(interval);
			let product = Product { zone, interval };
			let mut orders = 0u32;
			for side in [Side::Bid, Side::Offer] {
				let mut levels: BTreeMap<BalanceOf<T>, Wh> = BTreeMap::new();
				for ((trader, _), order) in Orders::<T>::iter_prefix((product, side)) {
					orders.saturating_inc();
					let held = holds.entry((trader, side)).or_insert_with(Zero::zero);
					*held = held.saturating_add(order.held);
					if order.quantity > 0 {
						let level = levels.entry(order.price).or_insert(0);
						*level = level.saturating_add(order.quantity);
					}
				}
				let curve = Curves::<T>::get(product, side);
				if auction.stage == Stage::Open {
					let expected: alloc::vec::Vec<_> = levels.into_iter().collect();
					ensure!(curve[..] == expected[..], "a curve does not add up its orders");
				} else {
					ensure!(curve.is_empty(), "a closed auction keeps a curve");
				}
			}
			ensure!(orders == auction.orders, "an auction miscounts its orders");
			if auction.stage == Stage::Delivering {
				let (mut waiting, mut delivered) = (0u32, 0 as Wh);
				for (_, d) in Deliveries::<T>::iter_prefix(interval).filter(|(_, d)| d.zone == zone)
				{
					match d.delivered {
						None => waiting.saturating_inc(),
						Some(wh) => delivered = delivered.saturating_add(wh),
					}
				}
				ensure!(waiting == auction.pending, "an auction waits for the wrong readings");
				ensure!(delivered == auction.delivered, "an auction's deliveries do not add up");
			}
		}
		intervals.sort();
		intervals.dedup();
		ensure!(intervals[..] == schedule[..], "a scheduled interval has no auction");
		for product in Due::<T>::get() {
			ensure!(
				Auctions::<T>::contains_key(product.interval, product.zone),
				"a due product has no auction"
			);
		}
		for ((trader, side), held) in holds {
			let on_hold = T::Currency::balance_on_hold(&Self::reason(side), &trader);
			ensure!(on_hold == held, "a trader's auction holds are not its orders'");
		}
		ensure!(
			T::Currency::balance(&Self::account()) >= T::Currency::minimum_balance(),
			"the auction's account is below the existential deposit"
		);
		Ok(())
	}
}
