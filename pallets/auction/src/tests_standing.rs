//! Unit tests of standing orders: setting and cancelling them (each error with state
//! untouched, each event), and their orders entering each auction of their zone at its gate
//! closure, a step at a time.

use crate::{mock::*, pallet::*, types::*, work::Step};
use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold, weights::Weight};
use peergrid_primitives::{MeterId, MeterStatus, Wh, ZoneId};
use sp_runtime::DispatchError;

/// `START` is 08:00 UTC: the first interval whose gate is open, `START + GATE + 1`, starts at
/// 09:15.
const FIRST: u64 = START + GATE + 1;
const HOUR_9: u32 = 1 << 9;

fn terms(side: Side, zone: ZoneId, meter: MeterId, quantity: Wh, price: u64) -> StandingTerms<u64> {
	StandingTerms { side, zone, meter, quantity, price, hours: ALL_HOURS }
}

fn set(who: u64, id: u64, t: StandingTerms<u64>) -> sp_runtime::DispatchResult {
	Auction::set_standing_order(RuntimeOrigin::signed(who), id, t)
}

fn deposit_of(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::AuctionStanding.into(), &who)
}

/// Moves the clock to `FIRST`'s gate closure and runs the hooks with all the weight they want.
fn close_first() {
	set_interval(FIRST - GATE);
	idle(Weight::MAX);
}

fn product(interval: u64) -> Product {
	Product { zone: NORTH, interval }
}

/// Bob's standing offer of 500 Wh at 100,000 a kWh at every hour, Charlie's standing bid of
/// 400 Wh at 150,000 for the 09:00 hour only, and Alice's offer of 100 Wh at `alice` placed in
/// `FIRST`'s auction.
fn book(alice: u64) {
	assert_ok!(set(BOB, 1, terms(Side::Offer, NORTH, BOB_METER, 500, 100_000)));
	let nine =
		StandingTerms { hours: HOUR_9, ..terms(Side::Bid, NORTH, CHARLIE_METER, 400, 150_000) };
	assert_ok!(set(CHARLIE, 4, nine));
	let own = OrderTerms {
		side: Side::Offer,
		product: product(FIRST),
		meter: ALICE_METER,
		quantity: 100,
		price: alice,
	};
	assert_ok!(Auction::place_order(RuntimeOrigin::signed(ALICE), 1, own));
}

#[test]
fn a_standing_order_is_set_replaced_and_cancelled_with_its_deposit() {
	new_test_ext().execute_with(|| {
		let offer = terms(Side::Offer, NORTH, BOB_METER, 500, 100_000);
		assert_ok!(set(BOB, 1, offer));
		assert_eq!(deposit_of(BOB), DEFAULT_STANDING_DEPOSIT);
		assert_eq!(StandingZones::<Test>::get().to_vec(), vec![(NORTH, 1)]);
		let stored = StandingOrder {
			side: Side::Offer,
			meter: BOB_METER,
			quantity: 500,
			price: 100_000,
			hours: ALL_HOURS,
			from: FIRST,
			deposit: DEFAULT_STANDING_DEPOSIT,
		};
		assert_eq!(Standing::<Test>::get(NORTH, (BOB, 1)), Some(stored));
		assert_eq!(
			auction_events().last(),
			Some(&Event::StandingOrderSet {
				trader: BOB,
				id: 1,
				zone: NORTH,
				side: Side::Offer,
				meter: BOB_METER,
				quantity: 500,
				price: 100_000,
				hours: ALL_HOURS,
				from: FIRST,
			})
		);
		// Set again: its terms change, its deposit and count do not.
		assert_ok!(set(BOB, 1, StandingTerms { price: 90_000, hours: HOUR_9, ..offer }));
		assert_eq!(deposit_of(BOB), DEFAULT_STANDING_DEPOSIT);
		assert_eq!(StandingZones::<Test>::get().to_vec(), vec![(NORTH, 1)]);
		let replaced = Standing::<Test>::get(NORTH, (BOB, 1)).map(|s| (s.price, s.hours));
		assert_eq!(replaced, Some((90_000, HOUR_9)));

		assert_ok!(Auction::cancel_standing_order(RuntimeOrigin::signed(BOB), NORTH, 1));
		assert_eq!(
			auction_events().last(),
			Some(&Event::StandingOrderCancelled { trader: BOB, id: 1, zone: NORTH })
		);
		assert_eq!(deposit_of(BOB), 0);
		assert!(StandingZones::<Test>::get().is_empty());
		assert_noop!(
			Auction::cancel_standing_order(RuntimeOrigin::signed(BOB), NORTH, 1),
			Error::<Test>::UnknownStanding
		);
	});
}

#[test]
fn bad_standing_orders_are_refused_and_change_nothing() {
	new_test_ext().execute_with(|| {
		let bid = |meter, quantity, price| terms(Side::Bid, NORTH, meter, quantity, price);
		let ok = bid(BOB_METER, 100, 1_000);
		assert_noop!(set(BOB, STANDING_NONCE, ok), Error::<Test>::ReservedNonce);
		assert_noop!(set(BOB, 1, StandingTerms { hours: 0, ..ok }), Error::<Test>::BadHours);
		assert_noop!(set(BOB, 1, StandingTerms { hours: 1 << 24, ..ok }), Error::<Test>::BadHours);
		assert_noop!(set(BOB, 1, bid(99, 100, 1_000)), Error::<Test>::UnknownMeter);
		assert_noop!(set(BOB, 1, bid(ALICE_METER, 100, 1_000)), Error::<Test>::NotYourMeter);
		assert_noop!(set(DAVE, 1, bid(DAVE_METER, 100, 1_000)), Error::<Test>::WrongZone);
		assert_noop!(
			set(CHARLIE, 1, terms(Side::Offer, NORTH, CHARLIE_METER, 100, 1_000)),
			Error::<Test>::MeterCannotExport
		);
		assert_noop!(set(BOB, 1, bid(BOB_METER, 0, 1_000)), Error::<Test>::ZeroQuantity);
		assert_noop!(
			set(BOB, 1, bid(BOB_METER, 2_501, 1_000)),
			Error::<Test>::QuantityAboveCapacity
		);
		assert_noop!(set(BOB, 1, bid(BOB_METER, 100, 1_500)), Error::<Test>::PriceOffTick);
		assert_noop!(
			set(BOB, 1, bid(BOB_METER, 2_500, u64::MAX / 1_000 * 1_000)),
			Error::<Test>::Overflow
		);
		StandingDeposit::set(FUNDS * 2);
		assert_noop!(set(BOB, 1, ok), Error::<Test>::CannotHold);
		StandingDeposit::set(DEFAULT_STANDING_DEPOSIT);
		// Three places a zone, one zone in the mock.
		assert_ok!(set(ALICE, 1, bid(ALICE_METER, 100, 1_000)));
		assert_ok!(set(BOB, 1, ok));
		assert_ok!(set(BOB, 2, ok));
		assert_noop!(
			set(CHARLIE, 1, bid(CHARLIE_METER, 100, 1_000)),
			Error::<Test>::TooManyStanding
		);
		assert_noop!(
			set(DAVE, 1, terms(Side::Bid, SOUTH, DAVE_METER, 100, 1_000)),
			Error::<Test>::TooManyStandingZones
		);
		// An order's own nonce is below the standing orders'.
		let order = OrderTerms {
			side: Side::Bid,
			product: product(FIRST),
			meter: BOB_METER,
			quantity: 1,
			price: 1_000,
		};
		assert_noop!(
			Auction::place_order(RuntimeOrigin::signed(BOB), STANDING_NONCE | 1, order),
			Error::<Test>::ReservedNonce
		);
	});
}

#[test]
fn standing_orders_enter_each_auction_of_their_hours_at_its_gate_closure() {
	new_test_ext().execute_with(|| {
		book(120_000);
		System::reset_events();
		close_first();
		let events = auction_events();
		let placed = |trader, id: u64| {
			events.iter().any(|e| match e {
				Event::OrderPlaced { trader: t, nonce, product: p, .. } => {
					*t == trader && *nonce == STANDING_NONCE | id && *p == product(FIRST)
				}
				_ => false,
			})
		};
		assert!(placed(BOB, 1) && placed(CHARLIE, 4), "{events:?}");
		// The intervals before FIRST had their gates closed before the orders were set.
		for interval in [START + 2, START + 3, START + 4] {
			assert!(
				events.contains(&Event::NotCleared { product: product(interval) }),
				"{events:?}"
			);
		}
		// 400 Wh at 100,000 a kWh: Bob's offer is allocated 400 of its 500, Charlie's bid all.
		assert!(events.contains(&Event::Cleared {
			product: product(FIRST),
			price: 100_000,
			volume: 400
		}));
		let order = |who, side, nonce| Orders::<Test>::get((product(FIRST), side), (who, nonce));
		assert_eq!(order(BOB, Side::Offer, STANDING_NONCE | 1).map(|o| o.quantity), Some(400));
		assert_eq!(
			order(CHARLIE, Side::Bid, STANDING_NONCE | 4).map(|o| (o.quantity, o.held)),
			Some((400, 40_000))
		);
		assert_eq!(
			Balances::balance_on_hold(&HoldReason::AuctionCollateral.into(), &BOB),
			400 * COLLATERAL / 1_000
		);
		// The next interval starts at 09:30: Bob's offer enters, Charlie's bid does too (hour 9),
		// and at 10:00 only Bob's.
		System::reset_events();
		set_interval(FIRST + 3 - GATE);
		idle(Weight::MAX);
		let entered: Vec<(u64, u64)> = auction_events()
			.into_iter()
			.filter_map(|e| match e {
				Event::OrderPlaced { trader, product, .. } => Some((trader, product.interval)),
				_ => None,
			})
			.collect();
		let hour_9 =
			[(BOB, FIRST + 1), (CHARLIE, FIRST + 1), (BOB, FIRST + 2), (CHARLIE, FIRST + 2)];
		let mut expected = [&hour_9[..], &[(BOB, FIRST + 3)]].concat();
		let mut entered = entered;
		entered.sort();
		expected.sort();
		assert_eq!(entered, expected);
	});
}

#[test]
fn a_standing_order_that_cannot_be_covered_sits_the_auction_out() {
	new_test_ext().execute_with(|| {
		// Charlie cannot hold 2,500 Wh at 1,000,000 a kWh (2.5 times his funds).
		let big = terms(Side::Bid, NORTH, CHARLIE_METER, 2_500, 1_000_000_000);
		assert_ok!(set(CHARLIE, 1, big));
		assert_ok!(set(BOB, 2, terms(Side::Bid, NORTH, BOB_METER, 100, 1_000)));
		assert_ok!(Meters::set_meter_status(
			RuntimeOrigin::signed(NORTH_OP),
			BOB_METER,
			MeterStatus::Suspended
		));
		System::reset_events();
		close_first();
		let skipped = |trader, id, error: Error<Test>| Event::StandingOrderSkipped {
			trader,
			id,
			product: product(FIRST),
			error: DispatchError::from(error),
		};
		let events = auction_events();
		assert!(events.contains(&skipped(CHARLIE, 1, Error::<Test>::CannotHold)), "{events:?}");
		assert!(events.contains(&skipped(BOB, 2, Error::<Test>::MeterNotActive)), "{events:?}");
		assert!(events.contains(&Event::NotCleared { product: product(FIRST) }));
		// Nothing of them changed the chain but their deposits.
		assert_eq!(Balances::balance_on_hold(&HoldReason::AuctionBid.into(), &CHARLIE), 0);
		assert_eq!(deposit_of(CHARLIE), DEFAULT_STANDING_DEPOSIT);
		assert_eq!(Orders::<Test>::iter().count(), 0);
	});
}

#[test]
fn standing_orders_enter_a_step_at_a_time_within_the_weight() {
	type W = Step<Test>;
	new_test_ext().execute_with(|| {
		assert_ok!(set(ALICE, 1, terms(Side::Offer, NORTH, ALICE_METER, 500, 100_000)));
		assert_ok!(set(BOB, 1, terms(Side::Bid, NORTH, BOB_METER, 500, 100_000)));
		// The gate closes for FIRST only: the intervals before it are over.
		Progress::<Test>::put((FIRST - 1, 0));
		StandingProgress::<Test>::put(FIRST - 1);
		set_interval(FIRST - GATE);
		// Enough to queue it, give it its record and enter one standing order a block.
		let step = W::base() + W::enqueue_product() + W::advance() * 2 + W::enter_order();
		assert!(idle(step).all_lte(step));
		let Some(auction) = Auctions::<Test>::get(FIRST, NORTH) else { panic!("its record") };
		assert_eq!((auction.stage, auction.orders), (Stage::Entering, 1));
		let step = W::base() + W::advance() + W::enter_order();
		assert!(idle(step).all_lte(step));
		// The second entered, the last: its price is found, its orders wait for the next block.
		let Some(auction) = Auctions::<Test>::get(FIRST, NORTH) else { panic!("its record") };
		assert_eq!((auction.stage, auction.orders), (Stage::Clearing, 2));
		idle(Weight::MAX);
		assert_eq!(Auctions::<Test>::get(FIRST, NORTH).map(|a| a.stage), Some(Stage::Delivering));
		assert!(Due::<Test>::get().is_empty());
	});
}

#[test]
fn an_open_auction_s_curves_and_indicative_price_count_the_standing_orders_that_will_enter() {
	use peergrid_primitives::api::{AuctionResult, CurveLevel};
	new_test_ext().execute_with(|| {
		book(100_000);
		let level = |price, energy_wh| CurveLevel { price, energy_wh };
		// 09:15: Bob's offer joins Alice's level, Charlie's bid is the only one.
		let info = Auction::auction_info(product(FIRST));
		assert_eq!(info.orders, 1, "placed orders only");
		assert_eq!(info.offers, vec![level(100_000, 600)]);
		assert_eq!(info.bids, vec![level(150_000, 400)]);
		assert_eq!(info.indicative, Some(AuctionResult { price: 100_000, volume_wh: 400 }));
		// 10:00: Charlie's hours are over.
		let info = Auction::auction_info(product(FIRST + 3));
		assert_eq!(
			(info.offers, info.bids, info.indicative),
			(vec![level(100_000, 500)], vec![], None)
		);
		// Once the gate closed, the orders entered are the curves.
		close_first();
		assert_eq!(Auction::auction_info(product(FIRST)).offers, vec![]);
	});
}

#[test]
fn a_standing_product_is_queued_once_though_due_is_full_at_its_gate_closure() {
	new_test_ext().execute_with(|| {
		assert_ok!(set(BOB, 1, terms(Side::Offer, NORTH, BOB_METER, 500, 100_000)));
		let south = Product { zone: SOUTH, interval: FIRST };
		let bid = OrderTerms {
			side: Side::Bid,
			product: south,
			meter: DAVE_METER,
			quantity: 100,
			price: 1_000,
		};
		assert_ok!(Auction::place_order(RuntimeOrigin::signed(DAVE), 1, bid));
		// Only FIRST's gate closes, and `Due` has room for one product: North's standing
		// product takes it, South's scheduled one must wait.
		Progress::<Test>::put((FIRST - 1, 0));
		StandingProgress::<Test>::put(FIRST - 1);
		let room = <Test as Config>::MaxDue::get() - 1;
		let others = (0..room).map(|i| Product { zone: 9, interval: START - 50 + u64::from(i) });
		Due::<Test>::put(sp_runtime::BoundedVec::truncate_from(others.collect::<Vec<_>>()));
		System::reset_events();
		set_interval(FIRST - GATE);
		idle(Weight::MAX);
		assert_eq!(
			(Progress::<Test>::get().0, StandingProgress::<Test>::get()),
			(FIRST - 1, FIRST)
		);
		// The next block queues South's; North's, done, is not queued again.
		idle(Weight::MAX);
		let events = auction_events();
		let entered =
			events.iter().filter(|e| matches!(e, Event::OrderPlaced { trader: BOB, .. })).count();
		assert_eq!(entered, 1, "{events:?}");
		let closed = |p| events.iter().filter(|e| **e == Event::NotCleared { product: p }).count();
		assert_eq!((closed(product(FIRST)), closed(south)), (1, 1), "{events:?}");
		assert!(Due::<Test>::get().is_empty());
	});
}
