//! Unit tests: every call's success, each error (state untouched), each event; the hooks'
//! clearing, delivery and settlement.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
	weights::Weight,
};
use peergrid_primitives::{DeliveryLedger, MeterId, MeterStatus, Wh};

/// The product the tests trade: North, ten intervals after the start.
pub const P: Product = Product { zone: NORTH, interval: START + 10 };

fn terms(side: Side, meter: MeterId, quantity: Wh, price: u64) -> OrderTerms<u64> {
	OrderTerms { side, product: P, meter, quantity, price }
}

fn place(who: u64, nonce: u64, t: OrderTerms<u64>) -> sp_runtime::DispatchResult {
	Auction::place_order(RuntimeOrigin::signed(who), nonce, t)
}

fn held(who: u64, side: Side) -> u64 {
	Balances::balance_on_hold(&Auction::reason(side), &who)
}

/// Closes `P`'s gate and runs the hooks with all the weight they want.
fn clear_p() {
	set_interval(P.interval - GATE);
	idle(Weight::MAX);
}

/// The book of the whole-cycle tests: Alice offers 1,000 Wh at 100 a kWh... in units: 100,000
/// per kWh; Bob offers 500 Wh at 120,000; Charlie bids 1,200 Wh at 150,000.
fn book() {
	assert_ok!(place(ALICE, 1, terms(Side::Offer, ALICE_METER, 1_000, 100_000)));
	assert_ok!(place(BOB, 1, terms(Side::Offer, BOB_METER, 500, 120_000)));
	assert_ok!(place(CHARLIE, 7, terms(Side::Bid, CHARLIE_METER, 1_200, 150_000)));
}

#[test]
fn placing_holds_escrow_or_collateral_and_adds_to_the_curve() {
	new_test_ext().execute_with(|| {
		book();
		assert_eq!(held(CHARLIE, Side::Bid), 1_200 * 150);
		assert_eq!(held(ALICE, Side::Offer), 1_000 * COLLATERAL / 1_000);
		assert_eq!(held(BOB, Side::Offer), 500 * COLLATERAL / 1_000);
		assert_eq!(
			Curves::<Test>::get(P, Side::Offer).to_vec(),
			vec![(100_000, 1_000), (120_000, 500)]
		);
		assert_eq!(Curves::<Test>::get(P, Side::Bid).to_vec(), vec![(150_000, 1_200)]);
		assert_eq!(Schedule::<Test>::get().to_vec(), vec![P.interval]);
		let auction = Auctions::<Test>::get(P.interval, P.zone).expect("the auction exists");
		assert_eq!((auction.stage, auction.orders), (Stage::Open, 3));
		assert_eq!(
			Orders::<Test>::get((P, Side::Bid), (CHARLIE, 7)),
			Some(PlacedOrder {
				meter: CHARLIE_METER,
				price: 150_000,
				quantity: 1_200,
				held: 180_000
			})
		);
		assert_eq!(
			auction_events().last(),
			Some(&Event::OrderPlaced {
				trader: CHARLIE,
				nonce: 7,
				side: Side::Bid,
				product: P,
				meter: CHARLIE_METER,
				quantity: 1_200,
				price: 150_000,
				held: 180_000,
			})
		);
		// A second order at a price already on the curve adds to its level.
		assert_ok!(place(ALICE, 2, terms(Side::Offer, ALICE_METER, 300, 120_000)));
		assert_eq!(
			Curves::<Test>::get(P, Side::Offer).to_vec(),
			vec![(100_000, 1_000), (120_000, 800)]
		);
	});
}

#[test]
fn bad_orders_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		assert_ok!(place(BOB, 1, terms(Side::Bid, BOB_METER, 100, 100_000)));
		let bid = |meter, quantity, price| terms(Side::Bid, meter, quantity, price);
		assert_noop!(place(BOB, 2, bid(99, 100, 1_000)), Error::<Test>::UnknownMeter);
		assert_noop!(place(BOB, 2, bid(ALICE_METER, 100, 1_000)), Error::<Test>::NotYourMeter);
		assert_noop!(place(DAVE, 2, bid(DAVE_METER, 100, 1_000)), Error::<Test>::WrongZone);
		assert_noop!(
			place(CHARLIE, 2, terms(Side::Offer, CHARLIE_METER, 100, 1_000)),
			Error::<Test>::MeterCannotExport
		);
		assert_noop!(place(BOB, 2, bid(BOB_METER, 0, 1_000)), Error::<Test>::ZeroQuantity);
		// 10 kW for 900 s: 2,500 Wh at most.
		assert_noop!(
			place(BOB, 2, bid(BOB_METER, 2_501, 1_000)),
			Error::<Test>::QuantityAboveCapacity
		);
		assert_noop!(place(BOB, 2, bid(BOB_METER, 100, 0)), Error::<Test>::PriceOffTick);
		assert_noop!(place(BOB, 2, bid(BOB_METER, 100, 1_500)), Error::<Test>::PriceOffTick);
		let at = |interval| OrderTerms {
			product: Product { zone: NORTH, interval },
			..bid(BOB_METER, 100, 1_000)
		};
		assert_noop!(place(BOB, 2, at(START + GATE)), Error::<Test>::GateClosed);
		assert_noop!(place(BOB, 2, at(START + WINDOW + 1)), Error::<Test>::NotOpenYet);
		assert_noop!(place(BOB, 1, bid(BOB_METER, 100, 1_000)), Error::<Test>::NonceUsed);
		assert_noop!(
			place(BOB, 2, bid(BOB_METER, 2_500, 1_000_000_000)),
			Error::<Test>::CannotHold
		);
		assert_ok!(Meters::set_meter_status(
			RuntimeOrigin::signed(NORTH_OP),
			BOB_METER,
			MeterStatus::Suspended
		));
		assert_noop!(place(BOB, 2, bid(BOB_METER, 100, 1_000)), Error::<Test>::MeterNotActive);
		// The edges of the window are open.
		assert_ok!(place(
			ALICE,
			1,
			OrderTerms {
				product: Product { zone: NORTH, interval: START + GATE + 1 },
				..terms(Side::Offer, ALICE_METER, 1, 1_000)
			}
		));
		assert_ok!(place(
			ALICE,
			1,
			OrderTerms {
				product: Product { zone: NORTH, interval: START + WINDOW },
				..terms(Side::Offer, ALICE_METER, 1, 1_000)
			}
		));
	});
}

#[test]
fn full_products_and_curves_refuse_orders() {
	new_test_ext().execute_with(|| {
		MaxPriceLevels::set(2);
		MaxOrdersPerProduct::set(3);
		let offer = |price| terms(Side::Offer, ALICE_METER, 10, price);
		assert_ok!(place(ALICE, 1, offer(1_000)));
		assert_ok!(place(ALICE, 2, offer(2_000)));
		assert_noop!(place(ALICE, 3, offer(3_000)), Error::<Test>::TooManyPriceLevels);
		assert_ok!(place(ALICE, 3, offer(2_000)));
		assert_noop!(place(ALICE, 4, offer(2_000)), Error::<Test>::TooManyOrders);
	});
}

#[test]
fn cancelling_releases_the_hold_and_keeps_the_nonce_used() {
	new_test_ext().execute_with(|| {
		book();
		assert_ok!(Auction::cancel_order(RuntimeOrigin::signed(BOB), P, Side::Offer, 1));
		assert_eq!(held(BOB, Side::Offer), 0);
		assert_eq!(Curves::<Test>::get(P, Side::Offer).to_vec(), vec![(100_000, 1_000)]);
		assert_eq!(
			auction_events().last(),
			Some(&Event::OrderCancelled { trader: BOB, nonce: 1, side: Side::Offer, product: P })
		);
		let cancel =
			|who, side, nonce| Auction::cancel_order(RuntimeOrigin::signed(who), P, side, nonce);
		assert_noop!(cancel(BOB, Side::Offer, 1), Error::<Test>::AlreadyCancelled);
		assert_noop!(cancel(BOB, Side::Bid, 1), Error::<Test>::UnknownOrder);
		assert_noop!(cancel(ALICE, Side::Offer, 2), Error::<Test>::UnknownOrder);
		assert_noop!(
			place(BOB, 1, terms(Side::Offer, BOB_METER, 500, 120_000)),
			Error::<Test>::NonceUsed
		);
		set_interval(P.interval - GATE);
		assert_noop!(cancel(ALICE, Side::Offer, 1), Error::<Test>::GateClosed);
	});
}

#[test]
fn clearing_finds_one_price_and_rations_the_marginal_level() {
	new_test_ext().execute_with(|| {
		book();
		assert_ok!(Auction::cancel_order(RuntimeOrigin::signed(BOB), P, Side::Offer, 1));
		assert_ok!(place(BOB, 2, terms(Side::Offer, BOB_METER, 500, 120_000)));
		System::reset_events();
		// Not yet: the gate closes 4 intervals ahead.
		set_interval(P.interval - GATE - 1);
		idle(Weight::MAX);
		assert!(auction_events().is_empty());
		clear_p();
		// At 100,000: 1,000 offered, 1,200 bid; at 120,000 and 150,000: 1,500 offered, 1,200
		// bid. 1,200 is the most; the surplus ties; the lower price wins.
		let allocated = |trader, nonce, side, quantity, held| Event::Allocated {
			trader,
			nonce,
			side,
			product: P,
			quantity,
			held,
		};
		assert_eq!(
			auction_events(),
			vec![
				Event::Cleared { product: P, price: 120_000, volume: 1_200 },
				allocated(CHARLIE, 7, Side::Bid, 1_200, 1_200 * 120),
				allocated(ALICE, 1, Side::Offer, 1_000, 1_000 * 50),
				allocated(BOB, 2, Side::Offer, 200, 200 * 50),
			]
		);
		assert_eq!(held(CHARLIE, Side::Bid), 144_000);
		assert_eq!(held(BOB, Side::Offer), 10_000);
		// The cancelled order is gone; the curves too.
		assert!(!Orders::<Test>::contains_key((P, Side::Offer), (BOB, 1)));
		assert!(Curves::<Test>::get(P, Side::Offer).is_empty());
		let auction = Auctions::<Test>::get(P.interval, P.zone).expect("it waits for delivery");
		assert_eq!((auction.stage, auction.pending, auction.orders), (Stage::Delivering, 2, 3));
		assert!(Due::<Test>::get().is_empty());
		assert_eq!(
			Deliveries::<Test>::get(P.interval, BOB_METER),
			Some(Delivery { zone: NORTH, allocated: 200, delivered: None })
		);
	});
}

#[test]
fn a_whole_cycle_settles_deliveries_and_charges_a_shortfall() {
	new_test_ext().execute_with(|| {
		book();
		clear_p();
		set_interval(P.interval + 1);
		// Alice exported more than her allocation: she keeps the rest as her own credits.
		assert_eq!(Auction::deliver(ALICE_METER, P.interval, 1_300), Some(1_000));
		assert_eq!(Auction::deliver(ALICE_METER, P.interval, 1_300), Some(0));
		assert_eq!(Auction::deliver(DAVE_METER, P.interval, 1_300), None);
		assert!(Due::<Test>::get().is_empty());
		// Bob delivered 150 of 200: the last reading makes the product due.
		assert_eq!(Auction::deliver(BOB_METER, P.interval, 150), Some(150));
		assert_eq!(Due::<Test>::get().to_vec(), vec![P]);
		let before = |who| Balances::total_balance(&who);
		let (alice, bob, charlie, operator) =
			(before(ALICE), before(BOB), before(CHARLIE), before(NORTH_OP));
		System::reset_events();
		idle(Weight::MAX);
		assert_eq!(
			auction_events(),
			vec![
				Event::BidSettled {
					trader: CHARLIE,
					nonce: 7,
					product: P,
					energy: 1_150,
					paid: 138_000
				},
				Event::OfferSettled {
					trader: ALICE,
					nonce: 1,
					product: P,
					delivered: 1_000,
					paid: 120_000,
					shortfall: 0,
					penalty: 0,
					operator: NORTH_OP
				},
				Event::OfferSettled {
					trader: BOB,
					nonce: 1,
					product: P,
					delivered: 150,
					paid: 18_000,
					shortfall: 50,
					penalty: 2_000,
					operator: NORTH_OP
				},
				Event::Settled { product: P, delivered: 1_150 },
			]
		);
		assert_eq!(Credits::balance(&CHARLIE), 1_150);
		assert_eq!(before(CHARLIE), charlie - 138_000);
		assert_eq!(before(ALICE), alice + 120_000);
		assert_eq!(before(BOB), bob + 18_000 - 2_000);
		assert_eq!(before(NORTH_OP), operator + 2_000);
		for who in [ALICE, BOB, CHARLIE] {
			assert_eq!((held(who, Side::Bid), held(who, Side::Offer)), (0, 0));
		}
		assert_eq!(Balances::balance(&Auction::account()), ExistentialDeposit::get());
		assert_eq!(Orders::<Test>::iter().count() + Deliveries::<Test>::iter().count(), 0);
		assert_eq!(Auctions::<Test>::iter().count(), 0);
		assert!(Schedule::<Test>::get().is_empty() && Due::<Test>::get().is_empty());
	});
}

#[test]
fn the_deadline_settles_without_the_missing_readings() {
	new_test_ext().execute_with(|| {
		book();
		clear_p();
		set_interval(P.interval + 1);
		assert_eq!(Auction::deliver(ALICE_METER, P.interval, 1_000), Some(1_000));
		set_interval(P.interval + DEADLINE);
		idle(Weight::MAX);
		assert!(Auctions::<Test>::contains_key(P.interval, P.zone));
		System::reset_events();
		set_interval(P.interval + DEADLINE + 1);
		idle(Weight::MAX);
		assert!(auction_events().contains(&Event::OfferSettled {
			trader: BOB,
			nonce: 1,
			product: P,
			delivered: 0,
			paid: 0,
			shortfall: 200,
			penalty: 8_000,
			operator: NORTH_OP,
		}));
		assert_eq!(Credits::balance(&CHARLIE), 1_000);
		assert_eq!(auction_events().last(), Some(&Event::Settled { product: P, delivered: 1_000 }));
		// A reading after settlement counts nothing.
		assert_eq!(Auction::deliver(BOB_METER, P.interval, 200), None);
		assert!(Schedule::<Test>::get().is_empty());
	});
}

#[test]
fn an_auction_where_no_bid_meets_an_offer_releases_everything() {
	new_test_ext().execute_with(|| {
		assert_ok!(place(ALICE, 1, terms(Side::Offer, ALICE_METER, 1_000, 200_000)));
		assert_ok!(place(CHARLIE, 1, terms(Side::Bid, CHARLIE_METER, 1_000, 100_000)));
		System::reset_events();
		clear_p();
		assert_eq!(auction_events()[0], Event::NotCleared { product: P });
		assert_eq!(auction_events().last(), Some(&Event::Settled { product: P, delivered: 0 }));
		assert_eq!((held(ALICE, Side::Offer), held(CHARLIE, Side::Bid)), (0, 0));
		assert_eq!(Orders::<Test>::iter().count() + Auctions::<Test>::iter().count(), 0);
		assert!(Schedule::<Test>::get().is_empty());
	});
}

#[test]
fn the_hooks_work_a_step_at_a_time_within_their_weight() {
	type W = crate::work::Step<Test>;
	new_test_ext().execute_with(|| {
		book();
		set_interval(P.interval - GATE);
		// Too little for anything: nothing happens.
		assert_eq!(idle(W::base() - Weight::from_parts(1, 0)), Weight::zero());
		assert_eq!(Auctions::<Test>::get(P.interval, P.zone).map(|a| a.stage), Some(Stage::Open));
		// Enough to queue it and find its price, and clear one order a block.
		let step = W::base() + W::enqueue_product() + W::advance() * 2 + W::clear_order();
		let used = idle(step);
		assert!(used.all_lte(step));
		assert_eq!(Due::<Test>::get().to_vec(), vec![P]);
		let auction = Auctions::<Test>::get(P.interval, P.zone).expect("clearing");
		assert_eq!(auction.stage, Stage::Clearing);
		let step = W::base() + W::advance() + W::clear_order();
		let mut blocks = 1;
		while Auctions::<Test>::get(P.interval, P.zone).is_some_and(|a| a.stage == Stage::Clearing)
		{
			assert!(idle(step).all_lte(step));
			blocks += 1;
		}
		// One order a block: 3 orders, the first with the price.
		assert_eq!(blocks, 3);
		assert!(Due::<Test>::get().is_empty());
	});
}

#[test]
fn due_products_wait_their_turn_when_due_is_full() {
	new_test_ext().execute_with(|| {
		MaxDue::set(1);
		let south = Product { zone: SOUTH, interval: P.interval };
		assert_ok!(place(ALICE, 1, terms(Side::Offer, ALICE_METER, 100, 1_000)));
		assert_ok!(place(
			DAVE,
			1,
			OrderTerms { product: south, ..terms(Side::Offer, DAVE_METER, 100, 1_000) }
		));
		set_interval(P.interval - GATE);
		// Each clears (nothing to trade) in turn: the second when the first has left `Due`.
		idle(Weight::MAX);
		assert_eq!(Auctions::<Test>::iter().count(), 1);
		idle(Weight::MAX);
		assert_eq!(Auctions::<Test>::iter().count(), 0);
	});
}

#[test]
fn an_order_deposit_is_held_until_clearing_cancelled_or_not() {
	new_test_ext().execute_with(|| {
		OrderDeposit::set(100);
		book();
		assert_eq!(held(CHARLIE, Side::Bid), 1_200 * 150 + 100);
		assert_eq!(held(BOB, Side::Offer), 500 * COLLATERAL / 1_000 + 100);
		// Cancelled, Bob's offer keeps its deposit held with its record until clearing.
		assert_ok!(Auction::cancel_order(RuntimeOrigin::signed(BOB), P, Side::Offer, 1));
		assert_eq!(held(BOB, Side::Offer), 100);
		clear_p();
		// Cleared: every deposit is released; what stays is what the allocations need.
		assert_eq!(held(BOB, Side::Offer), 0);
		assert_eq!(held(ALICE, Side::Offer), 1_000 * COLLATERAL / 1_000);
		assert_eq!(held(CHARLIE, Side::Bid), 1_000 * 100);
	});
}
