//! The delivery auction's whole cycle against the real runtime and the development preset:
//! orders placed by a trader and relayed signed, cleared at gate closure in `on_idle`, the
//! seller's reading of the interval delivering part of its allocation, and settlement with a
//! shortfall, in real blocks that a syncing node executes again; and a standing bid entering
//! each auction at its gate closure.

use crate::common::*;
use frame_support::traits::fungible::{Inspect, InspectHold};
use pallet_auction::{
	Event as AuctionEvent, HoldReason, OrderTerms, Product, Side, SignedOrder, StandingTerms,
	ALL_HOURS, STANDING_NONCE,
};
use peergrid_primitives::auction::order_signing_payload;
use peergrid_runtime::{
	configs::{
		AUCTION_COLLATERAL, AUCTION_ORDER_DEPOSIT, AUCTION_PENALTY, AUCTION_STANDING_DEPOSIT,
	},
	Balance, Balances, Credits, Executive, RuntimeCall, RuntimeEvent, RuntimeHoldReason, System,
	MILLI_UNIT,
};
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Dave};

/// North, run by Alice: Bob's rooftop solar (6 kW: 1,500 Wh an interval at most) and Dave's
/// consumption meter.
const NORTH: u32 = 0;
/// The product: North, six intervals after the chain starts; its gate closes at `NOW + 2`.
const P: Product = Product { zone: NORTH, interval: NOW + 6 };

fn auction_events() -> Vec<AuctionEvent<peergrid_runtime::Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Auction(e) => Some(e),
			_ => None,
		})
		.collect()
}

fn total(who: Sr25519Keyring) -> Balance {
	Balances::total_balance(&who.to_account_id())
}

fn held(reason: HoldReason, who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::from(reason), &who.to_account_id())
}

/// `value` Wh at `price` per kWh.
fn value(wh: u64, price: Balance) -> Balance {
	Balance::from(wh) * price / 1_000
}

/// Bob's offer of 1,000 Wh of P from his PV at `ask` per kWh.
fn bob_offer(ask: Balance) -> OrderTerms<Balance> {
	OrderTerms { side: Side::Offer, product: P, meter: BOB_PV, quantity: 1_000, price: ask }
}

#[test]
fn an_auction_clears_delivers_and_settles_a_shortfall_in_real_blocks() {
	let ask = 120 * MILLI_UNIT;
	let limit = 200 * MILLI_UNIT;
	let mut blocks = Vec::new();
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		// Bob's meter's first reading sets its baseline.
		chain.block(vec![batch(vec![reading(ferdie(), BOB_PV, I0, 100, 5_000)])]);

		// Bob offers 1,000 Wh of P at 0.12 GRID/kWh himself; Dave signs a bid for 1,200 Wh at
		// up to 0.20, which a relayer submits without a fee or an account.
		let offer = bob_offer(ask);
		let bid =
			OrderTerms { side: Side::Bid, product: P, meter: DAVE, quantity: 1_200, price: limit };
		let payload = order_signing_payload(&System::block_hash(0), &Dave.to_account_id(), 1, &bid);
		let signed_bid = SignedOrder {
			trader: Dave.to_account_id(),
			nonce: 1,
			terms: bid,
			signature: sp_runtime::MultiSignature::from(Dave.sign(&payload)),
		};
		chain.block(vec![
			signed(
				Bob,
				0,
				RuntimeCall::Auction(pallet_auction::Call::place_order { nonce: 1, terms: offer }),
				None,
			),
			general(RuntimeCall::Auction(pallet_auction::Call::submit_orders {
				orders: vec![signed_bid].try_into().expect("one order"),
			})),
		]);
		// What each has after the orders (Bob paid his transaction's fee; Dave paid none).
		let (bob_before, dave_before, alice_before) = (total(Bob), total(Dave), total(Alice));
		// Each with the order deposit, held until clearing.
		let deposit = AUCTION_ORDER_DEPOSIT;
		assert_eq!(held(HoldReason::AuctionBid, Dave), value(1_200, limit) + deposit);
		assert_eq!(
			held(HoldReason::AuctionCollateral, Bob),
			value(1_000, AUCTION_COLLATERAL) + deposit
		);

		// Gate closure: the block's spare weight clears it. At 0.12 and 0.20 alike 1,000 Wh
		// trade with 200 Wh bid over: the lower price wins. Dave's bid is rationed.
		chain.skip_to(P.interval - 4);
		chain.block(vec![]);
		let events = auction_events();
		assert!(events.contains(&AuctionEvent::Cleared { product: P, price: ask, volume: 1_000 }));
		assert!(events.contains(&AuctionEvent::Allocated {
			trader: Dave.to_account_id(),
			nonce: 1,
			side: Side::Bid,
			product: P,
			quantity: 1_000,
			held: value(1_000, ask),
		}));
		assert_eq!(held(HoldReason::AuctionBid, Dave), value(1_000, ask));

		// Bob's meter reads the interval before P, then P itself: it exported 800 Wh in P,
		// all of it delivered to Dave, none minted to Bob. Dave receives it, pays 0.12 GRID a
		// kWh for it; Bob pays 0.25 a kWh for the 200 Wh he fell short, to Alice, who runs
		// North.
		chain.skip_to(P.interval);
		chain.block(vec![batch(vec![reading(ferdie(), BOB_PV, P.interval - 1, 150, 6_000)])]);
		let bob_credits = credits(Bob);
		chain.skip_to(P.interval + 1);
		chain.block(vec![batch(vec![reading(ferdie(), BOB_PV, P.interval, 150, 6_800)])]);
		assert_eq!(credits(Bob), bob_credits, "delivered energy is not minted to the seller");
		assert!(auction_events().contains(&AuctionEvent::Delivered {
			product: P,
			meter: BOB_PV,
			allocated: 1_000,
			delivered: 800,
		}));

		// The last reading made it due: the same block's spare weight settled it.
		let paid = value(800, ask);
		let penalty = value(200, AUCTION_PENALTY);
		assert!(auction_events().contains(&AuctionEvent::Settled { product: P, delivered: 800 }));
		assert_eq!(credits(Dave), 800);
		assert_eq!(total(Dave), dave_before - paid);
		assert_eq!(total(Bob), bob_before + paid - penalty);
		assert_eq!(total(Alice), alice_before + penalty);
		for who in [Bob, Dave] {
			assert_eq!(
				held(HoldReason::AuctionBid, who) + held(HoldReason::AuctionCollateral, who),
				0
			);
		}
		// Energy counted once: issued = minted to Bob before P + delivered to Dave.
		assert_eq!(Credits::total_issuance(), bob_credits + 800);
		assert!(pallet_auction::Orders::<peergrid_runtime::Runtime>::iter().next().is_none());
		blocks = chain.blocks;
	});

	// A node syncing the chain executes the same blocks and reaches the same state.
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!(credits(Dave), 800);
	});
}

/// A standing bid, set once, enters each auction of its zone at its gate closure in real
/// blocks: the one with no offer closes without a match and releases its hold, the next
/// clears against Bob's offer.
#[test]
fn a_standing_bid_enters_each_auction_at_its_gate_closure_in_real_blocks() {
	let (ask, limit) = (120 * MILLI_UNIT, 200 * MILLI_UNIT);
	let mut blocks = Vec::new();
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.block(vec![]);
		let standing = StandingTerms {
			side: Side::Bid,
			zone: NORTH,
			meter: DAVE,
			quantity: 500,
			price: limit,
			hours: ALL_HOURS,
		};
		let offer = bob_offer(ask);
		chain.block(vec![
			signed(
				Dave,
				0,
				RuntimeCall::Auction(pallet_auction::Call::set_standing_order {
					id: 7,
					terms: standing,
				}),
				None,
			),
			signed(
				Bob,
				0,
				RuntimeCall::Auction(pallet_auction::Call::place_order { nonce: 1, terms: offer }),
				None,
			),
		]);
		assert_eq!(held(HoldReason::AuctionStanding, Dave), AUCTION_STANDING_DEPOSIT);
		assert_eq!(held(HoldReason::AuctionBid, Dave), 0, "nothing is held before gate closure");

		// The gates of P and of the interval before it close: the standing bid enters both.
		chain.skip_to(P.interval - 4);
		chain.block(vec![]);
		let events = auction_events();
		let before = Product { interval: P.interval - 1, ..P };
		for product in [before, P] {
			assert!(events.iter().any(|e| matches!(
				e,
				AuctionEvent::OrderPlaced { nonce, product: p, .. }
					if *nonce == STANDING_NONCE | 7 && *p == product
			)));
		}
		assert!(events.contains(&AuctionEvent::NotCleared { product: before }));
		assert!(events.contains(&AuctionEvent::Cleared { product: P, price: ask, volume: 500 }));
		// What stays held: the bid's 500 Wh at the clearing price, and the standing deposit.
		assert_eq!(held(HoldReason::AuctionBid, Dave), value(500, ask));
		assert_eq!(held(HoldReason::AuctionStanding, Dave), AUCTION_STANDING_DEPOSIT);
		blocks = chain.blocks;
	});

	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!(held(HoldReason::AuctionBid, Dave), value(500, ask));
	});
}
