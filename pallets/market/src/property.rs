//! A property-style test: thousands of random placements, cancellations, fee changes and
//! blocks, with the market's invariants checked after each, and every trade checked against
//! the orders it filled.

use crate::{
	mock::*,
	pallet::{GridFees, Orders},
	tests::check_invariants,
	Event as MarketEvent, OrderId, Side,
};
use frame_support::traits::Hooks;
use peergrid_primitives::Xorshift;
use sp_runtime::StateVersion;
use std::collections::BTreeMap;

/// What a trade needs to be checked against: the order's side, owner, zone, limit and what
/// was left of it.
#[derive(Clone, Copy, Debug)]
struct Open {
	side: Side,
	owner: u64,
	zone: u32,
	price: u64,
	remaining: u64,
}

fn snapshot() -> BTreeMap<OrderId, Open> {
	Orders::<Test>::iter()
		.map(|(id, o)| {
			let open = Open {
				side: o.side,
				owner: o.owner,
				zone: o.zone,
				price: o.price,
				remaining: o.remaining,
			};
			(id, open)
		})
		.collect()
}

fn zone_of(trader: u64) -> u32 {
	match trader {
		ALICE | BOB => NORTH,
		CHARLIE | DAVE => SOUTH,
		_ => EAST,
	}
}

#[derive(Default, Debug)]
struct Tally {
	placed: u32,
	refused: u32,
	trades: u32,
	truncated: u32,
	cancelled: u32,
	expired: u32,
}

#[test]
fn thousands_of_random_orders_keep_the_invariants() {
	new_test_ext().execute_with(|| {
		MaxOrdersPerAccount::set(12);
		MaxOrdersPerBook::set(32);
		MaxFills::set(3);
		MaxExpiriesPerBlock::set(6);
		// Deterministic, so a failure replays exactly.
		let mut rng = Xorshift(0x0005_EED0_F9EE_761D);
		let mut tally = Tally::default();
		const P: u64 = 1_000;

		for step in 0..4_000u32 {
			System::reset_events();
			let before = snapshot();
			let root = sp_io::storage::root(StateVersion::V1);
			let now = System::block_number();
			let mut placed: Option<(OrderId, Open)> = None;
			let result = match rng.below(100) {
				0..=69 => {
					let trader = TRADERS[rng.below(TRADERS.len() as u64) as usize];
					// Mostly the trader's own zone; now and then one without a meter.
					let zone =
						if rng.below(20) == 0 { rng.below(3) as u32 } else { zone_of(trader) };
					let side = if rng.below(2) == 0 { Side::Buy } else { Side::Sell };
					let amount = 1 + rng.below(2_000);
					let price = P * (80 + rng.below(41));
					let expires_at = match rng.below(3) {
						0 => Some(now + 1 + rng.below(6)),
						_ => None,
					};
					let id = crate::NextOrderId::<Test>::get();
					let open = Open { side, owner: trader, zone, price, remaining: amount };
					placed = Some((id, open));
					Market::place_order(
						RuntimeOrigin::signed(trader),
						side,
						zone,
						amount,
						price,
						expires_at,
					)
					.map(|info| {
						// No placement does more than every order declares.
						let declared = Market::declared_placement_weight();
						assert!(
							info.actual_weight.is_some_and(|w| w.all_lte(declared)),
							"a placement reports its weight, within what every order declares"
						);
					})
					.map_err(|e| e.error)
				}
				70..=84 => {
					// Mostly one of a trader's open orders; now and then any id, or another's.
					let trader = TRADERS[rng.below(TRADERS.len() as u64) as usize];
					let own = crate::OrdersOf::<Test>::get(trader);
					let (who, order) = match rng.below(5) {
						0 => (trader, rng.below(crate::NextOrderId::<Test>::get().max(1))),
						_ if own.is_empty() => (trader, 0),
						_ => (trader, own[rng.below(own.len() as u64) as usize]),
					};
					Market::cancel_order(RuntimeOrigin::signed(who), order)
				}
				85..=94 => {
					System::set_block_number(now + 1);
					Market::on_initialize(now + 1);
					Ok(())
				}
				_ => {
					let from = rng.below(3) as u32;
					let to = rng.below(3) as u32;
					let fee = match rng.below(4) {
						0 => None,
						_ => Some(P * rng.below(15)),
					};
					Market::set_grid_fee(RuntimeOrigin::root(), from, to, fee)
				}
			};

			if let Err(error) = result {
				tally.refused += 1;
				assert_eq!(
					sp_io::storage::root(StateVersion::V1),
					root,
					"step {step}: the refused call ({error:?}) changed state"
				);
				check_invariants();
				continue;
			}

			// Every trade names two open orders of opposite sides and different owners, fills
			// no more than either had left, crosses neither limit, and is priced at the
			// resting order's price with the zone pair's fee.
			let mut open = before;
			if let Some((id, order)) = placed {
				tally.placed += 1;
				open.insert(id, order);
			}
			for event in System::events().into_iter().filter_map(|r| match r.event {
				RuntimeEvent::Market(e) => Some(e),
				_ => None,
			}) {
				match event {
					MarketEvent::Trade {
						buy_order,
						sell_order,
						buyer,
						seller,
						seller_zone,
						buyer_zone,
						amount,
						price,
						fee,
						..
					} => {
						tally.trades += 1;
						let buy = open[&buy_order];
						let sell = open[&sell_order];
						assert_eq!((buy.side, sell.side), (Side::Buy, Side::Sell));
						assert_eq!((buy.owner, sell.owner), (buyer, seller));
						assert_ne!(buyer, seller, "step {step}: a self-trade");
						assert_eq!((buy.zone, sell.zone), (buyer_zone, seller_zone));
						assert!(amount > 0 && amount <= buy.remaining && amount <= sell.remaining);
						assert!(price >= sell.price, "step {step}: below the seller's limit");
						assert!(price + fee <= buy.price, "step {step}: above the buyer's limit");
						assert_eq!(Some(fee), Market::grid_fee(seller_zone, buyer_zone));
						let new = placed.map(|(id, _)| id);
						if new == Some(buy_order) {
							assert_eq!(price, sell.price, "a buy pays the resting ask");
						} else {
							assert_eq!(new, Some(sell_order));
							assert_eq!(price + fee, buy.price, "a sell gets the resting bid");
						}
						for id in [buy_order, sell_order] {
							if let Some(o) = open.get_mut(&id) {
								o.remaining -= amount;
							}
						}
					}
					MarketEvent::OrderTruncated { .. } => tally.truncated += 1,
					MarketEvent::OrderCancelled { .. } => tally.cancelled += 1,
					MarketEvent::OrderExpired { .. } => tally.expired += 1,
					_ => {}
				}
			}
			// What the model says is left is what the chain has left.
			for (id, order) in Orders::<Test>::iter() {
				assert_eq!(open[&id].remaining, order.remaining, "step {step}: order {id}");
			}
			check_invariants();
		}

		// The run exercised every path, not just refusals.
		assert!(tally.placed > 1_500, "{tally:?}");
		assert!(tally.trades > 500, "{tally:?}");
		assert!(tally.truncated > 0 && tally.cancelled > 50 && tally.expired > 50, "{tally:?}");
		assert!(tally.refused > 100, "{tally:?}");
		assert!(GridFees::<Test>::iter().count() > 0, "{tally:?}");
		println!("{tally:?}");
	});
}
