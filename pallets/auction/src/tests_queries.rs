//! Unit tests of what the runtime API answers: an auction through its life, and a trader's
//! orders.

use crate::{mock::*, types::*};
use frame_support::{assert_ok, weights::Weight};
use peergrid_primitives::{
	api::{AuctionOrder, AuctionResult, AuctionStage, CurveLevel},
	DeliveryLedger, MeterId, Wh,
};

const P: Product = Product { zone: NORTH, interval: START + 10 };

fn order(who: u64, nonce: u64, side: Side, meter: MeterId, quantity: Wh, price: u64) {
	let product = P;
	let terms = OrderTerms { side, product, meter, quantity, price };
	assert_ok!(Auction::place_order(RuntimeOrigin::signed(who), nonce, terms));
}

fn stage(interval: u64) -> AuctionStage {
	Auction::auction_info(Product { zone: NORTH, interval }).stage
}

fn level(price: u64, energy_wh: Wh) -> CurveLevel<u64> {
	CurveLevel { price, energy_wh }
}

#[test]
fn an_auction_says_where_it_stands_from_its_window_to_its_settlement() {
	new_test_ext().execute_with(|| {
		// No order yet: the clock says whether it is open.
		assert_eq!(stage(START + GATE + 1), AuctionStage::Open);
		assert_eq!(stage(START + WINDOW), AuctionStage::Open);
		assert_eq!(stage(START + WINDOW + 1), AuctionStage::NotOpenYet);
		assert_eq!(stage(START + GATE), AuctionStage::Closed);
		let info = Auction::auction_info(P);
		assert_eq!(
			(info.opens_at, info.gate_closes_at),
			((P.interval - WINDOW) * 900, (P.interval - GATE) * 900)
		);
		assert_eq!((info.orders, info.indicative, info.result), (0, None, None));

		// Open: the curves, best first, and where it would clear now.
		order(ALICE, 1, Side::Offer, ALICE_METER, 1_000, 100_000);
		order(BOB, 1, Side::Offer, BOB_METER, 500, 120_000);
		order(CHARLIE, 7, Side::Bid, CHARLIE_METER, 1_200, 150_000);
		order(CHARLIE, 8, Side::Bid, CHARLIE_METER, 100, 90_000);
		let info = Auction::auction_info(P);
		assert_eq!((info.stage, info.orders), (AuctionStage::Open, 4));
		assert_eq!(info.bids, vec![level(150_000, 1_200), level(90_000, 100)]);
		assert_eq!(info.offers, vec![level(100_000, 1_000), level(120_000, 500)]);
		let cleared = Some(AuctionResult { price: 120_000, volume_wh: 1_200 });
		assert_eq!((info.indicative.clone(), info.result.clone()), (cleared.clone(), None));

		// The gate closed by the clock, the hooks not yet come: clearing, no curves.
		set_interval(P.interval - GATE);
		let info = Auction::auction_info(P);
		assert_eq!(
			(info.stage, info.indicative.clone(), info.result.clone()),
			(AuctionStage::Clearing, None, None)
		);
		assert!(info.bids.is_empty() && info.offers.is_empty(), "the gate has closed");

		// Cleared: the result, the curves gone, two sellers' readings awaited.
		idle(Weight::MAX);
		let info = Auction::auction_info(P);
		assert_eq!(
			(info.stage, info.result.clone(), info.pending_readings),
			(AuctionStage::Delivering, cleared, 2)
		);
		assert!(info.bids.is_empty() && info.offers.is_empty() && info.indicative.is_none());

		// Delivered: Alice all 1,000 Wh, Bob 150 of 200; settled, then closed.
		set_interval(P.interval + 1);
		assert_eq!(Auction::deliver(ALICE_METER, P.interval, 1_000), Some(1_000));
		let info = Auction::auction_info(P);
		assert_eq!((info.pending_readings, info.delivered_wh), (1, 1_000));
		assert_eq!(Auction::deliver(BOB_METER, P.interval, 150), Some(150));
		assert_eq!(Auction::auction_info(P).delivered_wh, 1_150);
		idle(Weight::MAX);
		assert_eq!(Auction::auction_info(P).stage, AuctionStage::Closed);
	});
}

#[test]
fn a_traders_orders_are_listed_by_interval_side_and_nonce_until_they_settle() {
	new_test_ext().execute_with(|| {
		order(ALICE, 2, Side::Offer, ALICE_METER, 1_000, 100_000);
		order(ALICE, 1, Side::Offer, ALICE_METER, 400, 130_000);
		order(ALICE, 5, Side::Bid, ALICE_METER, 300, 90_000);
		order(BOB, 1, Side::Offer, BOB_METER, 500, 120_000);
		order(CHARLIE, 7, Side::Bid, CHARLIE_METER, 1_200, 150_000);
		let later = OrderTerms {
			side: Side::Offer,
			product: Product { zone: NORTH, interval: P.interval + 1 },
			meter: ALICE_METER,
			quantity: 200,
			price: 100_000,
		};
		assert_ok!(Auction::place_order(RuntimeOrigin::signed(ALICE), 1, later));
		assert_ok!(Auction::cancel_order(RuntimeOrigin::signed(ALICE), P, Side::Offer, 1));
		let orders = |who, zone, first, count| {
			let answer = Auction::orders_of(&who, zone, first, count, u32::MAX);
			assert_eq!(answer.next, None, "read whole");
			answer.orders
		};
		let alice = |first, count| orders(ALICE, NORTH, first, count);
		let mine = |interval, side, nonce, quantity_wh, price, held| AuctionOrder {
			interval,
			side,
			nonce,
			meter: ALICE_METER,
			price,
			quantity_wh,
			held,
		};
		// Collateral: 50 a Wh; a bid's escrow: its limit, 90 a Wh; a cancelled order: nothing.
		let bid = mine(P.interval, Side::Bid, 5, 300, 90_000, 27_000);
		let offers = [
			mine(P.interval, Side::Offer, 1, 0, 130_000, 0),
			mine(P.interval, Side::Offer, 2, 1_000, 100_000, 50_000),
		];
		let next = mine(P.interval + 1, Side::Offer, 1, 200, 100_000, 10_000);
		assert_eq!(alice(P.interval, 1), [vec![bid.clone()], offers.to_vec()].concat());
		assert_eq!(alice(P.interval, 2), [vec![bid], offers.to_vec(), vec![next.clone()]].concat());
		assert_eq!(alice(P.interval + 1, 1), vec![next.clone()]);
		// Another zone, intervals without auctions, more intervals than a question reads.
		assert!(orders(ALICE, SOUTH, P.interval, 2).is_empty());
		assert!(alice(P.interval - 100, 90).is_empty());
		assert!(alice(P.interval - 200, u32::MAX).is_empty());
		assert_eq!(alice(P.interval - 191, u32::MAX).len(), 3);
		// A question stops before an auction once it has read its budget of orders, and says
		// where: P holds 5 orders.
		let partial = Auction::orders_of(&ALICE, NORTH, P.interval, 2, 5);
		assert_eq!((partial.orders.len(), partial.next), (3, Some(P.interval + 1)));
		let rest = Auction::orders_of(&ALICE, NORTH, P.interval + 1, 1, 5);
		assert_eq!((rest.orders, rest.next), (vec![next.clone()], None));

		// Cleared at 120,000 for 1,200 Wh: Alice's 1,000 Wh offer is allocated whole, her bid
		// below the price nothing; the quantity is now the allocation.
		set_interval(P.interval - GATE);
		idle(Weight::MAX);
		assert_eq!(
			alice(P.interval, 1),
			vec![mine(P.interval, Side::Offer, 2, 1_000, 100_000, 50_000)]
		);
		assert_eq!(orders(CHARLIE, NORTH, P.interval, 1)[0].quantity_wh, 1_200);
	});
}
