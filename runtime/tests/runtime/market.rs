//! Runtime tests of the market against the real runtime and the development preset: credits
//! minted by oracle-signed readings are sold across zones in real blocks, paid for and charged
//! the grid fee, and bad orders are refused with their precise error and no state change.

use crate::common::*;
use frame_support::traits::fungible::{Inspect, InspectHold};
use pallet_market::{HoldReason, Side};
use peergrid_runtime::{
	configs::ORDER_DEPOSIT,
	genesis_config_presets::{demo, INTER_ZONE_FEE},
	Balance, Balances, Credits, Executive, Runtime, RuntimeCall, RuntimeEvent, RuntimeHoldReason,
	System, MILLI_UNIT, UNIT,
};
use sp_genesis_builder::{DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::Sr25519Keyring::{self, Alice, Bob, Dave, Eve, Ferdie};
use sp_runtime::DispatchError;

/// The demo zones: North (Bob's PV, Dave) and South (Charlie's PV, Eve), both run by Alice.
const NORTH: u32 = 0;
const SOUTH: u32 = 1;

fn place(
	who: Sr25519Keyring,
	nonce: u32,
	side: Side,
	zone: u32,
	amount: u64,
	price: Balance,
) -> peergrid_runtime::UncheckedExtrinsic {
	signed(
		who,
		nonce,
		RuntimeCall::Market(pallet_market::Call::place_order {
			side,
			zone,
			amount,
			price,
			expires_at: None,
		}),
		None,
	)
}

fn free(who: Sr25519Keyring) -> Balance {
	Balances::balance(&who.to_account_id())
}

fn held(reason: pallet_market::HoldReason, who: Sr25519Keyring) -> Balance {
	Balances::balance_on_hold(&RuntimeHoldReason::from(reason), &who.to_account_id())
}

fn held_credits(who: Sr25519Keyring) -> u64 {
	Credits::balance_on_hold(&HoldReason::SellOrder.into(), &who.to_account_id())
}

fn market_events() -> Vec<pallet_market::Event<Runtime>> {
	System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Market(e) => Some(e),
			_ => None,
		})
		.collect()
}

#[test]
fn every_preset_opens_routes_between_its_zones() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		assert_eq!(pallet_market::GridFees::<Runtime>::get(NORTH, SOUTH), Some(INTER_ZONE_FEE));
		assert_eq!(pallet_market::GridFees::<Runtime>::get(SOUTH, NORTH), Some(INTER_ZONE_FEE));
		assert_eq!(pallet_market::Pallet::<Runtime>::grid_fee(NORTH, NORTH), Some(0));
	});
	new_test_ext(LOCAL_TESTNET_RUNTIME_PRESET).execute_with(|| {
		for zone in 0..4 {
			let imports = pallet_market::ImportsOf::<Runtime>::get(zone);
			assert_eq!(imports.len(), 3, "zone {zone} buys from the three others");
		}
	});
}

#[test]
fn minted_credits_sell_across_zones_with_the_grid_fee_in_real_blocks() {
	let mut blocks = Vec::new();
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let mut chain = Chain::new();
		chain.block(vec![batch(vec![reading(ferdie(), BOB_PV, I0, 100, 5_000)])]);
		chain.block(vec![batch(vec![reading(ferdie(), BOB_PV, I0 + 1, 150, 6_000)])]);
		assert_eq!(credits(Bob), 1_000);

		// Bob offers his 1 kWh in North at 0.15 GRID/kWh; Eve, in South, bids for 0.6 kWh at
		// up to 0.20 GRID/kWh all-in. She takes Bob's ask plus the 0.02 North -> South fee.
		let alice_before = free(Alice);
		let ask = 150 * MILLI_UNIT;
		chain.block(vec![
			place(Bob, 0, Side::Sell, NORTH, 1_000, ask),
			place(Eve, 0, Side::Buy, SOUTH, 600, 200 * MILLI_UNIT),
		]);
		let trade = market_events()
			.into_iter()
			.find(|e| matches!(e, pallet_market::Event::Trade { .. }))
			.expect("a trade");
		assert_eq!(
			trade,
			pallet_market::Event::Trade {
				buy_order: 1,
				sell_order: 0,
				buyer: Eve.to_account_id(),
				seller: Bob.to_account_id(),
				seller_zone: NORTH,
				buyer_zone: SOUTH,
				amount: 600,
				price: ask,
				fee: INTER_ZONE_FEE,
				fee_to: demo::zones()[1].1.clone(),
			}
		);
		assert_eq!((credits(Eve), credits(Bob), held_credits(Bob)), (600, 0, 400));
		// Alice runs South and received the fee: 0.6 kWh x 0.02 GRID.
		assert_eq!(free(Alice) - alice_before, 12 * MILLI_UNIT);
		assert_eq!(held(HoldReason::BuyOrder, Eve), 0, "Eve's change was released");
		assert_eq!(held(HoldReason::OrderDeposit, Bob), ORDER_DEPOSIT);
		assert_eq!(held(HoldReason::OrderDeposit, Eve), 0);

		// Bob cancels the rest and has his credits and deposit back.
		chain.block(vec![signed(
			Bob,
			1,
			RuntimeCall::Market(pallet_market::Call::cancel_order { order: 0 }),
			None,
		)]);
		assert_eq!((credits(Bob), held_credits(Bob)), (400, 0));
		assert_eq!(held(HoldReason::OrderDeposit, Bob), 0);
		blocks = chain.blocks;
	});

	// A node syncing the chain executes the same blocks and reaches the same state.
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		for block in blocks {
			Executive::execute_block(block.into());
		}
		assert_eq!((credits(Bob), credits(Eve)), (400, 600));
	});
}

#[test]
fn bad_orders_are_refused_with_their_reason_and_change_nothing() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let parent = System::block_hash(0);
		start_block(1, parent, SLOT0 + 1);
		let cases = [
			// Bob has no credits yet: the sell would overdraw.
			(place(Bob, 0, Side::Sell, NORTH, 100, MILLI_UNIT), "InsufficientCredits"),
			// Bob's meter is in North.
			(place(Bob, 1, Side::Buy, SOUTH, 100, MILLI_UNIT), "NoActiveMeterInZone"),
			// Ferdie owns no meter at all.
			(place(Ferdie, 0, Side::Buy, NORTH, 100, MILLI_UNIT), "NoActiveMeterInZone"),
			(place(Bob, 2, Side::Buy, NORTH, 100, MILLI_UNIT + 1), "PriceOffTick"),
			(place(Bob, 3, Side::Buy, 7, 100, MILLI_UNIT), "UnknownZone"),
			(place(Bob, 4, Side::Buy, NORTH, 99, MILLI_UNIT), "AmountBelowMinimum"),
			// Dave cannot hold a million kWh at 10 GRID/kWh.
			(place(Dave, 0, Side::Buy, NORTH, 1_000_000_000, 10 * UNIT), "InsufficientFunds"),
		];
		for (xt, expected) in cases {
			let before = pallet_market::NextOrderId::<Runtime>::get();
			let error = apply(&xt).expect("valid: the fee is paid").expect_err("the call fails");
			assert_eq!(module_error(error), Some(expected));
			assert_eq!(pallet_market::NextOrderId::<Runtime>::get(), before);
			assert!(market_events().is_empty(), "{expected}: no market event");
		}
		// Only the consortium sets grid fees.
		let fee = RuntimeCall::Market(pallet_market::Call::set_grid_fee {
			from: NORTH,
			to: SOUTH,
			fee: None,
		});
		let error = apply(&signed(Bob, 5, fee.clone(), None)).expect("valid").expect_err("fails");
		assert_eq!(error, DispatchError::BadOrigin);
		assert_eq!(pallet_market::GridFees::<Runtime>::get(NORTH, SOUTH), Some(INTER_ZONE_FEE));
		apply_ok(&sudo(fee, 0));
		assert_eq!(pallet_market::GridFees::<Runtime>::get(NORTH, SOUTH), None);
	});
}
