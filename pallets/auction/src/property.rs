//! The property test: thousands of random books cleared and settled through the pallet, a
//! step at a time with random weights, against a brute force that works from the orders
//! themselves.

use crate::{clearing::share, mock::*, pallet::*, types::*};
use frame_support::{
	assert_ok,
	traits::fungible::{Inspect, InspectHold},
	weights::Weight,
};
use peergrid_primitives::{DeliveryLedger, MeterKind, Wh, Xorshift};
use std::collections::BTreeMap;

const TRADERS: u64 = 12;
const P: Product = Product { zone: NORTH, interval: START + 10 };

/// An order of the random book.
#[derive(Clone, Copy, Debug)]
struct Order {
	trader: u64,
	nonce: u64,
	side: Side,
	quantity: Wh,
	price: u64,
}

/// Each order's allocation, by (trader, nonce, side).
type Allocations = BTreeMap<(u64, u64, Side), Wh>;

/// What the brute force expects of a book: the price and volume (`None`: no trade), and each
/// order's allocation.
fn reference(orders: &[Order]) -> (Option<(u64, Wh)>, Allocations) {
	let supply = |p: u64| -> Wh {
		orders.iter().filter(|o| o.side == Side::Offer && o.price <= p).map(|o| o.quantity).sum()
	};
	let demand = |p: u64| -> Wh {
		orders.iter().filter(|o| o.side == Side::Bid && o.price >= p).map(|o| o.quantity).sum()
	};
	// Every limit price, evaluated from the orders; the best by volume, then surplus, then
	// the lowest price.
	let best = orders
		.iter()
		.map(|o| o.price)
		.map(|p| (p, supply(p).min(demand(p)), supply(p).abs_diff(demand(p))))
		.filter(|(_, v, _)| *v > 0)
		.min_by_key(|(p, v, s)| (std::cmp::Reverse(*v), *s, *p));
	let mut allocations = BTreeMap::new();
	let Some((price, volume, _)) = best else { return (None, allocations) };
	for side in [Side::Bid, Side::Offer] {
		// The side's orders inside the price, in price priority, then in storage order.
		let mut inside: Vec<&Order> = orders
			.iter()
			.filter(|o| o.side == side)
			.filter(|o| if side == Side::Bid { o.price >= price } else { o.price <= price })
			.collect();
		let key = |o: &Order| Orders::<Test>::hashed_key_for((P, side), (o.trader, o.nonce));
		inside.sort_by_key(|o| {
			(if side == Side::Bid { u64::MAX - o.price } else { o.price }, key(o))
		});
		let mut left = volume;
		let mut at = 0;
		while at < inside.len() {
			let level: Vec<&&Order> =
				inside[at..].iter().take_while(|o| o.price == inside[at].price).collect();
			let asked: Wh = level.iter().map(|o| o.quantity).sum();
			let given = left.min(asked);
			let mut before = 0;
			for o in &level {
				allocations
					.insert((o.trader, o.nonce, side), share(before, o.quantity, given, asked));
				before += o.quantity;
			}
			left -= given;
			at += level.len();
		}
	}
	(Some((price, volume)), allocations)
}

/// Runs the hooks with random spare weight, checking the invariants after each block, until
/// `done`; returns the blocks taken.
fn run_until(rng: &mut Xorshift, done: impl Fn() -> bool) -> u32 {
	type W = crate::work::Step<Test>;
	let least = W::base() + W::enqueue_product() + W::advance() * 2;
	let mut blocks = 0;
	while !done() {
		let orders = rng.below(8);
		let limit = least + W::settle_order() * orders + Weight::from_parts(rng.below(1_000), 0);
		idle(if rng.below(4) == 0 { Weight::MAX } else { limit });
		if let Err(broken) = Auction::do_try_state() {
			panic!("the invariants broke after block {blocks}: {broken:?}");
		}
		blocks += 1;
		assert!(blocks < 1_000, "the hooks make progress");
	}
	blocks
}

#[test]
fn clearing_and_settlement_match_the_brute_force() {
	let traders: Vec<(u64, u32, MeterKind)> =
		(0..TRADERS).map(|i| (100 + i, NORTH, MeterKind::Bidirectional)).collect();
	// How many books cleared, rationed an order, and charged a shortfall: the test must
	// see every case many times.
	let (mut cleared_books, mut rationed_books, mut short_books) = (0, 0, 0);
	for seed in 1..=2_000u64 {
		let mut rng = Xorshift(seed);
		ext_with(&traders).execute_with(|| {
			let mut orders = Vec::new();
			for nonce in 0..rng.below(40) {
				let i = rng.below(TRADERS);
				let side = if rng.below(2) == 0 { Side::Bid } else { Side::Offer };
				let quantity = 1 + rng.below(2_500);
				// Few prices, so that levels and ties are common.
				let price = (1 + rng.below(6)) * 1_000;
				let order = Order { trader: 100 + i, nonce, side, quantity, price };
				let terms = OrderTerms { side, product: P, meter: i, quantity, price };
				assert_ok!(Auction::place_order(RuntimeOrigin::signed(order.trader), nonce, terms));
				if rng.below(10) == 0 {
					assert_ok!(Auction::cancel_order(
						RuntimeOrigin::signed(order.trader),
						P,
						side,
						nonce
					));
				} else {
					orders.push(order);
				}
			}
			let (expected, allocations) = reference(&orders);
			set_interval(P.interval - GATE);
			System::reset_events();
			run_until(&mut rng, || {
				Auctions::<Test>::get(P.interval, P.zone)
					.is_none_or(|a| a.stage == Stage::Delivering)
			});
			let events = auction_events();
			let mut allocated = BTreeMap::new();
			let mut cleared = None;
			for e in &events {
				match e {
					Event::Cleared { price, volume, .. } => cleared = Some((*price, *volume)),
					Event::Allocated { trader, nonce, side, quantity, .. } => {
						allocated.insert((*trader, *nonce, *side), *quantity);
					}
					_ => {}
				}
			}
			assert_eq!(cleared, expected, "seed {seed}: price and volume");
			let Some((price, volume)) = expected else {
				assert!(Auctions::<Test>::iter().next().is_none(), "seed {seed}: nothing left");
				return;
			};
			cleared_books += 1;
			if orders.iter().any(|o| {
				let got = allocated.get(&(o.trader, o.nonce, o.side)).copied().unwrap_or(0);
				got > 0 && got < o.quantity
			}) {
				rationed_books += 1;
			}
			for o in &orders {
				let key = (o.trader, o.nonce, o.side);
				let want = allocations.get(&key).copied().unwrap_or(0);
				assert_eq!(allocated.get(&key).copied().unwrap_or(0), want, "seed {seed}: {o:?}");
			}
			for side in [Side::Bid, Side::Offer] {
				let sum: Wh = allocated.iter().filter(|(k, _)| k.2 == side).map(|(_, q)| q).sum();
				assert_eq!(sum, volume, "seed {seed}: {side:?} allocations add up to the volume");
			}

			// Readings: each allocated meter delivers some or all, or its reading never comes.
			set_interval(P.interval + 1);
			let mut owed: BTreeMap<u64, Wh> = BTreeMap::new();
			for ((trader, _, side), q) in &allocated {
				if *side == Side::Offer {
					*owed.entry(trader - 100).or_default() += q;
				}
			}
			let mut delivered_total = 0;
			for (meter, owes) in &owed {
				match rng.below(4) {
					0 => continue,
					_ => {
						let exported = rng.below(owes + owes / 5 + 1);
						let kept = Auction::deliver(*meter, P.interval, exported).unwrap_or(0);
						assert_eq!(kept, exported.min(*owes), "seed {seed}: meter {meter}");
						delivered_total += kept;
					}
				}
			}
			set_interval(P.interval + DEADLINE + 1);
			System::reset_events();
			run_until(&mut rng, || Auctions::<Test>::iter().next().is_none());

			// Money and energy: buyers pay what sellers are paid; buyers receive exactly what
			// was delivered, each its share; shortfalls are paid for; every hold is released.
			let (mut paid_in, mut paid_out, mut energy, mut penalties) = (0, 0, 0, 0);
			let mut bids: Vec<(u64, u64, Wh)> = Vec::new();
			for e in auction_events() {
				match e {
					Event::BidSettled { trader, nonce, energy: got, paid, .. } => {
						assert_eq!(paid, got * price / 1_000, "seed {seed}");
						bids.push((trader, nonce, got));
						paid_in += paid;
						energy += got;
					}
					Event::OfferSettled {
						delivered, paid, shortfall, penalty, operator, ..
					} => {
						assert_eq!(paid, delivered * price / 1_000, "seed {seed}");
						assert_eq!(penalty, shortfall * PENALTY / 1_000, "seed {seed}");
						assert_eq!(operator, NORTH_OP);
						paid_out += paid;
						penalties += penalty;
					}
					_ => {}
				}
			}
			assert_eq!(paid_in, paid_out, "seed {seed}: money conserved");
			if penalties > 0 {
				short_books += 1;
			}
			assert_eq!(energy, delivered_total, "seed {seed}: energy conserved");
			assert_eq!(Credits::total_issuance(), delivered_total, "seed {seed}");
			assert_eq!(Balances::total_balance(&NORTH_OP), 1_000 + penalties, "seed {seed}");
			// Each bid's share, by cumulative rounding over the bids in storage order.
			bids.sort_by_key(|(t, n, _)| Orders::<Test>::hashed_key_for((P, Side::Bid), (*t, *n)));
			let mut before = 0;
			for (trader, nonce, got) in bids {
				let a = allocated[&(trader, nonce, Side::Bid)];
				assert_eq!(got, share(before, a, delivered_total, volume), "seed {seed}");
				before += a;
			}
			for t in 100..100 + TRADERS {
				for side in [Side::Bid, Side::Offer] {
					assert_eq!(Balances::balance_on_hold(&Auction::reason(side), &t), 0);
				}
			}
			assert_eq!(Balances::balance(&Auction::account()), ExistentialDeposit::get());
			assert_eq!(Orders::<Test>::iter().count() + Deliveries::<Test>::iter().count(), 0);
			assert!(Schedule::<Test>::get().is_empty() && Due::<Test>::get().is_empty());
		});
	}
	println!("{cleared_books} books cleared, {rationed_books} rationed, {short_books} short");
	assert!(
		cleared_books > 1_000 && rationed_books > 500 && short_books > 500,
		"the books cover the cases: {cleared_books} cleared, {rationed_books} rationed, \
		 {short_books} short"
	);
}
