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
	///   lists a product once;
	/// - an open auction's curves are sorted, have no empty level, and add up its open orders;
	///   an auction counts its orders;
	/// - each trader's auction holds are exactly what its orders hold;
	/// - a delivering auction waits for exactly its meters whose reading is not in, and has
	///   been delivered what their readings delivered;
	/// - the auction's account keeps at least the existential deposit;
	/// - the standing orders are counted by zone, and their deposits held.
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
				// Standing orders enter after gate closure, on the curves, which clearing takes.
				if matches!(auction.stage, Stage::Open | Stage::Entering) {
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
		// A due product may have no record yet: its zone's standing orders give it one.
		let due = Due::<T>::get();
		ensure!(
			due.iter().all(|p| due.iter().filter(|q| *q == p).count() == 1),
			"a product is due twice"
		);
		// No product's gate closure comes before its standing orders' (0: never run).
		let standing = StandingProgress::<T>::get();
		ensure!(standing == 0 || Progress::<T>::get().0 <= standing, "a gate closed early");
		Self::standing_invariants()?;
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

	/// The standing orders: `StandingZones` is sorted by zone and counts each zone's standing
	/// orders, none with none; each standing order's id and hours are valid; each trader holds
	/// exactly its standing orders' deposits.
	fn standing_invariants() -> Result<(), sp_runtime::TryRuntimeError> {
		let zones = StandingZones::<T>::get();
		ensure!(zones.windows(2).all(|w| w[0].0 < w[1].0), "the standing zones are not sorted");
		let mut counts: BTreeMap<peergrid_primitives::ZoneId, u32> = BTreeMap::new();
		let mut deposits: BTreeMap<T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for (zone, (trader, id), standing) in Standing::<T>::iter() {
			ensure!(id < STANDING_NONCE, "a standing order's id is a standing nonce");
			ensure!(standing.hours != 0 && standing.hours <= ALL_HOURS, "bad standing hours");
			counts.entry(zone).or_default().saturating_inc();
			let deposit = deposits.entry(trader).or_insert_with(Zero::zero);
			*deposit = deposit.saturating_add(standing.deposit);
		}
		let counted: alloc::vec::Vec<_> = counts.into_iter().collect();
		ensure!(zones[..] == counted[..], "the standing orders are miscounted by zone");
		for (trader, deposit) in deposits {
			let held = T::Currency::balance_on_hold(&HoldReason::AuctionStanding.into(), &trader);
			ensure!(held == deposit, "a trader's standing deposits are not held");
		}
		Ok(())
	}
}
