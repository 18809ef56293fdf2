//! Unit tests of signed orders relayed in batches: the call, and its validation in the
//! transaction pool.

use crate::{mock::*, pallet::*, types::*};
use frame_support::{
	assert_noop, assert_ok, pallet_prelude::*, traits::fungible::InspectHold, BoundedVec,
};
use peergrid_primitives::auction::order_signing_payload;
use sp_runtime::{testing::TestSignature, DispatchError};

const P: Product = Product { zone: NORTH, interval: START + 10 };

/// `trader`'s order `nonce`, signed by `signer` for the chain of genesis hash `genesis`.
fn signed_by(
	signer: u64,
	genesis: sp_core::H256,
	trader: u64,
	nonce: u64,
	terms: OrderTerms<u64>,
) -> SignedOrderOf<Test> {
	let payload = order_signing_payload(&genesis, &trader, nonce, &terms);
	SignedOrder { trader, nonce, terms, signature: TestSignature(signer, payload) }
}

/// `trader`'s order `nonce`, signed by the trader for this chain.
fn signed(trader: u64, nonce: u64, terms: OrderTerms<u64>) -> SignedOrderOf<Test> {
	signed_by(trader, Auction::genesis_hash(), trader, nonce, terms)
}

fn bid(meter: u64, quantity: u64) -> OrderTerms<u64> {
	OrderTerms { side: Side::Bid, product: P, meter, quantity, price: 100_000 }
}

fn batch(orders: Vec<SignedOrderOf<Test>>) -> SignedOrdersOf<Test> {
	BoundedVec::truncate_from(orders)
}

fn pool(orders: &SignedOrdersOf<Test>) -> TransactionValidityWithRefund {
	Auction::authorize_orders(TransactionSource::External, orders)
}

fn rejected(trader: u64, nonce: u64, error: Error<Test>) -> RuntimeEvent {
	RuntimeEvent::Auction(Event::OrderRejected { trader, nonce, error: error.into() })
}

#[test]
fn a_relayer_places_signed_orders_and_each_bad_one_is_rejected_alone() {
	new_test_ext().execute_with(|| {
		let other_chain = sp_core::H256::repeat_byte(7);
		let orders = batch(vec![
			signed(CHARLIE, 1, bid(CHARLIE_METER, 100)),
			signed(BOB, 1, OrderTerms { side: Side::Offer, ..bid(BOB_METER, 200) }),
			// Signed by Bob for Charlie's order: not Charlie's signature.
			signed_by(BOB, Auction::genesis_hash(), CHARLIE, 2, bid(CHARLIE_METER, 1)),
			// Charlie's signature, for another chain.
			signed_by(CHARLIE, other_chain, CHARLIE, 3, bid(CHARLIE_METER, 1)),
			// Charlie's nonce 1 again: placed just above.
			signed(CHARLIE, 1, bid(CHARLIE_METER, 100)),
			signed(CHARLIE, 4, bid(ALICE_METER, 100)),
		]);
		System::reset_events();
		assert_ok!(Auction::submit_orders(RuntimeOrigin::signed(FERDIE), orders));
		let events: Vec<_> = System::events().into_iter().map(|r| r.event).collect();
		let placed = |trader, nonce, side, meter, quantity, held| {
			RuntimeEvent::Auction(Event::OrderPlaced {
				trader,
				nonce,
				side,
				product: P,
				meter,
				quantity,
				price: 100_000,
				held,
			})
		};
		let holds = |e: &&RuntimeEvent| matches!(e, RuntimeEvent::Balances(_));
		let events: Vec<_> = events.iter().filter(|e| !holds(e)).cloned().collect();
		assert_eq!(
			events,
			vec![
				placed(CHARLIE, 1, Side::Bid, CHARLIE_METER, 100, 10_000),
				placed(BOB, 1, Side::Offer, BOB_METER, 200, 200 * COLLATERAL / 1_000),
				rejected(CHARLIE, 2, Error::BadSignature),
				rejected(CHARLIE, 3, Error::BadSignature),
				rejected(CHARLIE, 1, Error::NonceUsed),
				rejected(CHARLIE, 4, Error::NotYourMeter),
			]
		);
		assert_eq!(Balances::balance_on_hold(&Auction::reason(Side::Bid), &CHARLIE), 10_000);
		assert_eq!(Orders::<Test>::iter().count(), 2);
	});
}

#[test]
fn a_batch_needs_a_relayer_and_an_order() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Auction::submit_orders(RuntimeOrigin::signed(FERDIE), batch(vec![])),
			Error::<Test>::EmptyBatch
		);
		let one = batch(vec![signed(CHARLIE, 1, bid(CHARLIE_METER, 100))]);
		assert_noop!(
			Auction::submit_orders(RuntimeOrigin::none(), one.clone()),
			DispatchError::BadOrigin
		);
		// A general transaction authorized by the pallet needs no account.
		let authorized: RuntimeOrigin = frame_system::RawOrigin::Authorized.into();
		assert_ok!(Auction::submit_orders(authorized, one));
		assert!(Orders::<Test>::contains_key((P, Side::Bid), (CHARLIE, 1)));
	});
}

#[test]
fn the_pool_takes_a_batch_only_whole() {
	new_test_ext().execute_with(|| {
		let good = vec![
			signed(CHARLIE, 1, bid(CHARLIE_METER, 100)),
			signed(BOB, 1, OrderTerms { side: Side::Offer, ..bid(BOB_METER, 200) }),
		];
		let Ok((validity, refund)) = pool(&batch(good.clone())) else {
			panic!("a good batch is valid");
		};
		assert_eq!(validity.provides.len(), 2);
		assert_eq!(refund, Weight::zero());
		let with = |order| batch([good.clone(), vec![order]].concat());
		let invalid = |i: InvalidTransaction| Err(TransactionValidityError::Invalid(i));
		let custom = |e: Error<Test>| {
			let index = e.encode()[0];
			invalid(InvalidTransaction::Custom(100 + index))
		};
		let other_chain = sp_core::H256::repeat_byte(7);
		assert_eq!(
			pool(&with(signed_by(CHARLIE, other_chain, CHARLIE, 2, bid(CHARLIE_METER, 1)))),
			invalid(InvalidTransaction::BadProof)
		);
		// A nonce repeated in the batch, or used on the chain.
		assert_eq!(
			pool(&with(signed(CHARLIE, 1, bid(CHARLIE_METER, 5)))),
			invalid(InvalidTransaction::Stale)
		);
		assert_ok!(Auction::place_order(RuntimeOrigin::signed(CHARLIE), 9, bid(CHARLIE_METER, 1)));
		assert_eq!(
			pool(&with(signed(CHARLIE, 9, bid(CHARLIE_METER, 1)))),
			invalid(InvalidTransaction::Stale)
		);
		assert_eq!(
			pool(&with(signed(CHARLIE, 2, bid(ALICE_METER, 1)))),
			custom(Error::NotYourMeter)
		);
		assert_eq!(
			pool(&with(signed(CHARLIE, 2, bid(CHARLIE_METER, 0)))),
			custom(Error::ZeroQuantity)
		);
		// Each order alone could be held, not both: 2,500 Wh at 200,000,000 a kWh is 500,000,000.
		let dear =
			|nonce| signed(BOB, nonce, OrderTerms { price: 200_000_000, ..bid(BOB_METER, 2_500) });
		assert_ok!(pool(&batch(vec![dear(2)])));
		assert_eq!(pool(&batch(vec![dear(2), dear(3)])), custom(Error::CannotHold));
		assert_eq!(pool(&batch(vec![])), custom(Error::EmptyBatch));
		// A product without room for the batch.
		MaxOrdersPerProduct::set(2);
		assert_eq!(pool(&batch(good.clone())), custom(Error::TooManyOrders));
		// In a block the call checks everything itself; the pool's weight is refunded.
		let Ok((_, refund)) = Auction::authorize_orders(TransactionSource::InBlock, &with(dear(2)))
		else {
			panic!("a block's batch is checked by the call");
		};
		assert!(refund.any_gt(Weight::zero()));
	});
}

#[test]
fn a_batch_is_charged_for_what_its_orders_read_and_wrote_first() {
	new_test_ext().execute_with(|| {
		let db = <Test as frame_system::Config>::DbWeight::get();
		// Charlie's two bids of one product, on his one meter, and Bob's offer.
		let orders = batch(vec![
			signed(CHARLIE, 1, bid(CHARLIE_METER, 100)),
			signed(CHARLIE, 2, bid(CHARLIE_METER, 200)),
			signed(BOB, 1, OrderTerms { side: Side::Offer, ..bid(BOB_METER, 200) }),
		]);
		let declared = Auction::declared_batch_weight(3);
		use frame_support::dispatch::GetDispatchInfo;
		let call = crate::Call::<Test>::submit_orders { orders: orders.clone() };
		assert_eq!(call.get_dispatch_info().call_weight, declared);
		let Ok(info) = Auction::submit_orders(RuntimeOrigin::signed(FERDIE), orders) else {
			panic!("the batch is placed");
		};
		// Two products' sides (the bids', the offers'), two traders, two meters: the second bid
		// is refunded its product's, its trader's and its meter's reads and writes.
		let refund = db.reads_writes(3, 3) + db.reads_writes(2, 2) + db.reads(1);
		assert_eq!(info.actual_weight, Some(declared - refund));
		assert_eq!(Auction::batch_weight(3, 2, 2, 2), declared - refund);
		assert_eq!(Auction::batch_weight(3, 3, 3, 3), declared);
	});
}
