//! End-to-end: on a running dev node, a zone and a meter are registered, an oracle-signed batch
//! of readings is submitted by a relayer without a key, and the credits appear in the meter
//! owner's balance; a replayed batch and a reading signed for another chain are refused by the
//! node's transaction pool. Then the meter's owner sells credits on the market to a household
//! of another zone, as wallets do, with the grid fee paid to that zone's operator; an order
//! that would overdraw fails and changes nothing. All of it through `peergrid-client`.

use crate::common::{account, current_interval, Node, TempDir};
use codec::Encode;
use peergrid_client::{
	api::{
		peergrid,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_market::{pallet::Call as Market, types::Side},
			pallet_meters::pallet::Call as Meters,
			peergrid_primitives::{Baseline, MeterKind, Registers},
		},
		AccountId, Hash, RuntimeCall,
	},
	node::{Node as Client, NotIncluded},
	readings,
};
use peergrid_primitives::reading::Reading;
use peergrid_runtime::{
	genesis_config_presets::{demo, INTER_ZONE_FEE},
	MILLI_UNIT,
};
use sp_keyring::Sr25519Keyring::{Alice, Bob, Dave};
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

/// An account's free and held credits, and its metered consumption.
async fn credits(client: &Client, who: &AccountId) -> Result<(u64, u64, u64), String> {
	let account =
		client.storage(&peergrid::storage().credits().accounts(who.clone()), None).await?;
	Ok(account.map_or((0, 0, 0), |a| (a.free, a.held, a.metered)))
}

/// An account's free and reserved GRID.
async fn balance(client: &Client, who: &AccountId) -> (u128, u128) {
	let info = client.storage(&peergrid::storage().system().account(who.clone()), None).await;
	let info = info.expect("readable").expect("the account exists");
	(info.data.free, info.data.reserved)
}

/// The pool's refusal of a transaction, in words.
fn refusal(result: Result<Hash, NotIncluded>) -> String {
	match result {
		Err(NotIncluded::Refused(reason)) => reason,
		other => panic!("expected the pool to refuse the transaction, got {other:?}"),
	}
}

#[tokio::test(flavor = "multi_thread")]
async fn a_signed_batch_mints_credits_to_the_meter_owner_and_they_trade_across_zones() {
	let dir = TempDir::new("energy");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT).await;
	let client = node.client().await;
	let bob = account(Bob);

	// The consortium creates a zone run by Alice and lets the demo oracle sign for it; Alice,
	// as the zone's operator, registers Bob's meter with a baseline. On the development chain
	// Alice is the only member: her motion (threshold 1) is decided as she proposes it.
	let now = current_interval(&client).await;
	let motion = |call: RuntimeCall| {
		let length = call.encoded_size() as u32;
		peergrid::tx().consortium().propose(1, call, length)
	};
	let calls = [
		motion(RuntimeCall::Meters(Meters::create_zone {
			name: BoundedVec(b"E2E feeder".to_vec()),
			operator: account(Alice),
		})),
		motion(RuntimeCall::Meters(Meters::authorize_oracle {
			oracle: account(demo::oracle()),
			zones: BoundedVec(vec![0, 1, 2]),
		})),
		// The new zone's sellers may sell to the demo's North zone.
		motion(RuntimeCall::Market(Market::set_grid_fee {
			from: 2,
			to: 0,
			fee: Some(INTER_ZONE_FEE),
		})),
	];
	let register = peergrid::tx().meters().register_meter(
		2,
		BoundedVec(b"E2E-METER-1".to_vec()),
		bob.clone(),
		MeterKind::Bidirectional,
		5_000,
		Some(Baseline {
			interval: now - 5,
			registers: Registers { imported_wh: 0, exported_wh: 0 },
		}),
	);
	let born = client.mortality().await.expect("the node names its blocks");
	let first = client.next_nonce(&account(Alice)).await.expect("Alice's nonce");
	for (nonce, call) in (first..).zip(&calls) {
		let tx = client.signed(&Alice.pair(), nonce, call, born).expect("signed");
		client.submit_only(&tx).await.expect("the pool takes the motion");
	}
	let tx = client.signed(&Alice.pair(), first + 3, &register, born).expect("signed");
	let included = client.submit(tx).await;
	let included = included.unwrap_or_else(|e| panic!("meter 4 registered: {e}\n{}", node.tail()));
	let registered = included.find::<peergrid::meters::events::MeterRegistered>().expect("decodes");
	assert_eq!(registered.len(), 1, "one meter registered");
	assert_eq!((registered[0].meter, registered[0].zone), (4, 2), "after the four demo meters");
	assert_eq!(registered[0].owner, bob);

	// The oracle signs two intervals of Bob's meter; a relayer with no key and no funds
	// submits them as one batch, a general transaction.
	let sign = |interval, imported_wh, exported_wh| {
		let reading = Reading { meter: 4, interval, imported_wh, exported_wh };
		readings::sign(client.genesis(), &demo::oracle().pair(), reading)
	};
	let signed = vec![sign(now - 3, 200, 2_000), sign(now - 2, 300, 3_000)];
	let batch = |signed| client.general(&readings::batch(signed)).expect("a small batch");
	let included = client.submit(batch(signed.clone())).await.expect("the batch is in a block");
	let accepted = included.find::<peergrid::readings::events::ReadingAccepted>().expect("decodes");
	assert_eq!(accepted.len(), 2);
	assert_eq!(credits(&client, &bob).await, Ok((3_000, 0, 300)), "1 credit per Wh exported");
	let state = peergrid::storage().readings().meter_states(4);
	let state = client.storage(&state, None).await.expect("readable").expect("recorded");
	assert_eq!((state.last_interval, state.readings), (now - 2, 2));

	// The same batch again: the pool knows it already (1013), or finds it outdated (1010).
	match client.submit_only(&batch(signed.clone())).await {
		Err(NotIncluded::Known(_)) => {}
		other => assert!(refusal(other).contains("outdated")),
	}
	// Its readings in another batch are replays: the pool refuses them as outdated.
	let replay = client.submit_only(&batch(vec![signed[1].clone()])).await;
	assert!(refusal(replay).contains("outdated"));

	// A reading signed for another chain carries a bad signature.
	let forged = readings::sign(
		Hash::repeat_byte(1),
		&demo::oracle().pair(),
		Reading { meter: 4, interval: now - 1, imported_wh: 300, exported_wh: 3_100 },
	);
	let refused = client.submit_only(&batch(vec![forged])).await;
	assert!(refusal(refused).contains("signature"));
	// A batch over the runtime's limit does not decode: the node answers 1002, which the
	// library names.
	let limit = client.constant(&peergrid::constants().readings().max_batch_size());
	let oversized =
		(0..=limit.expect("a constant")).map(|k| sign(now - 1, 300, 3_000 + u64::from(k)));
	let refused = client.submit_only(&batch(oversized.collect())).await;
	assert!(refusal(refused).contains("MaxBatchSize"));
	assert_eq!(credits(&client, &bob).await, Ok((3_000, 0, 300)), "nothing changed");

	trade(&client).await;
	assert!(node.stop(Duration::from_secs(60)).success());
}

/// Bob (3,000 credits, meter in the new zone 2) sells 2 kWh at 0.15 GRID/kWh; Dave (demo
/// consumption meter in North, zone 0) buys 1.5 kWh at up to 0.20 GRID/kWh all-in and pays the
/// ask plus the 0.02 GRID/kWh grid fee, which goes to Alice, North's operator.
async fn trade(client: &Client) {
	let (alice, bob, dave) = (account(Alice), account(Bob), account(Dave));
	let order = |side, zone, amount, price| {
		peergrid::tx().market().place_order(side, zone, amount, price, None)
	};
	let sell = client.send(&Bob.pair(), &order(Side::Sell, 2, 2_000, 150 * MILLI_UNIT)).await;
	let placed = sell.expect("Bob's order rests").find::<peergrid::market::events::OrderPlaced>();
	assert_eq!(placed.expect("decodes").len(), 1);
	assert_eq!(credits(client, &bob).await, Ok((1_000, 2_000, 300)), "the order holds its credits");

	let (alice_before, bob_before) = (balance(client, &alice).await, balance(client, &bob).await);
	let buy = client.send(&Dave.pair(), &order(Side::Buy, 0, 1_500, 200 * MILLI_UNIT)).await;
	let trades = buy.expect("Dave's order trades").find::<peergrid::market::events::Trade>();
	assert_eq!(trades.expect("decodes").len(), 1);

	assert_eq!(credits(client, &dave).await.map(|c| c.0), Ok(1_500));
	assert_eq!(credits(client, &bob).await, Ok((1_000, 500, 300)));
	let order_of = async |id| {
		let order = peergrid::storage().market().orders(id);
		client.storage(&order, None).await.expect("readable").map(|o| o.remaining)
	};
	assert_eq!(order_of(0).await, Some(500));
	assert_eq!(order_of(1).await, None, "Dave's order filled");
	// 1.5 kWh: 0.225 GRID to Bob, 0.03 GRID to Alice; Dave's hold was released.
	assert_eq!(balance(client, &bob).await.0 - bob_before.0, 225 * MILLI_UNIT);
	assert_eq!(balance(client, &alice).await.0 - alice_before.0, 30 * MILLI_UNIT);
	assert_eq!(balance(client, &dave).await.1, 0);

	// Bob offers more than he has free: the call fails in its block (the fee is paid), with
	// the credits pallet's error in words, and the market and his credits are as they were.
	let overdraw = client.send(&Bob.pair(), &order(Side::Sell, 2, 1_001, 150 * MILLI_UNIT)).await;
	let Err(error) = overdraw else { panic!("Bob's order for more than he has free succeeded") };
	assert!(error.contains("failed in block") && error.contains("InsufficientCredits"), "{error}");
	let next = peergrid::storage().market().next_order_id();
	assert_eq!(client.storage(&next, None).await, Ok(Some(2)), "no order was added");
	assert_eq!(credits(client, &bob).await, Ok((1_000, 500, 300)));
}
