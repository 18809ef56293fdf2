//! End-to-end: on a running dev node, a zone and a meter are registered, an oracle-signed batch
//! of readings is submitted over JSON-RPC by a relayer without a key, and the credits appear in
//! the meter owner's balance; a replayed batch and a reading signed for another chain are
//! refused by the node's transaction pool. Then the meter's owner sells credits on the market
//! to a household of another zone, over RPC as wallets do, with the grid fee paid to that
//! zone's operator; an order that would overdraw fails and changes nothing.

use crate::common::{
	chain::{readings, wait_until, Chain},
	rpc::RpcError,
	Node, TempDir,
};
use codec::Encode;
use pallet_market::Side;
use pallet_readings::Reading;
use peergrid_primitives::{Baseline, MeterKind, Registers};
use peergrid_runtime::{
	genesis_config_presets::{demo, INTER_ZONE_FEE},
	AccountId, Runtime, RuntimeCall, MILLI_UNIT,
};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

/// The birth block of a transaction signed now: transactions are mortal, as wallets build them.
fn born(chain: &Chain) -> peergrid_client::Mortality {
	chain.mortality().expect("the node names its best and finalized blocks")
}

/// The node's refusal of a transaction: JSON-RPC error 1010 (invalid transaction) and its
/// reason.
fn refusal(error: RpcError) -> String {
	match error {
		RpcError::Node(e) if e["code"] == 1010 => {
			e["data"].as_str().unwrap_or_default().to_string()
		}
		other => panic!("expected the pool to refuse the transaction, got {other}"),
	}
}

#[test]
fn a_signed_batch_over_rpc_mints_credits_to_the_meter_owner() {
	let dir = TempDir::new("energy");
	let mut node = Node::start(dir.path(), &["--dev"]);
	node.wait_for_rpc(TIMEOUT);
	let chain = Chain::connect(node.client.clone()).expect("the node answers");
	let alice = Sr25519Keyring::Alice;
	let bob: AccountId = Sr25519Keyring::Bob.to_account_id();

	// The consortium creates a zone run by Alice and lets the demo oracle sign for it; Alice,
	// as the zone's operator, registers Bob's meter with a baseline. On the development chain
	// Alice is the only member: her motion (threshold 1) is decided as she proposes it.
	wait_until(TIMEOUT, || Ok(chain.now()? > 0)).expect("the first block sets the chain's clock");
	let now = chain.current_interval().expect("the chain's clock");
	let motion = |call: RuntimeCall| {
		RuntimeCall::Consortium(pallet_collective::Call::propose {
			threshold: 1,
			length_bound: call.encoded_size() as u32,
			proposal: Box::new(call),
		})
	};
	let calls = [
		motion(RuntimeCall::Meters(pallet_meters::Call::create_zone {
			name: b"E2E feeder".to_vec().try_into().expect("short"),
			operator: alice.to_account_id(),
		})),
		motion(RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
			oracle: demo::oracle().to_account_id(),
			zones: vec![0, 1, 2].try_into().expect("few zones"),
		})),
		// The new zone's sellers may sell to the demo's North zone.
		motion(RuntimeCall::Market(pallet_market::Call::set_grid_fee {
			from: 2,
			to: 0,
			fee: Some(INTER_ZONE_FEE),
		})),
		RuntimeCall::Meters(pallet_meters::Call::register_meter {
			zone: 2,
			external_id: b"E2E-METER-1".to_vec().try_into().expect("short"),
			owner: bob.clone(),
			kind: MeterKind::Bidirectional,
			capacity_w: 5_000,
			baseline: Some(Baseline {
				interval: now - 5,
				registers: Registers { imported_wh: 0, exported_wh: 0 },
			}),
		}),
	];
	for (nonce, call) in calls.into_iter().enumerate() {
		chain
			.submit(&chain.extrinsics.signed(&alice.pair(), nonce as u32, call, born(&chain)))
			.expect("the pool takes it");
	}
	wait_until(TIMEOUT, || {
		let meter: Option<pallet_meters::Meter<AccountId>> =
			chain.storage(&pallet_meters::Meters::<Runtime>::hashed_key_for(4))?;
		Ok(meter.is_some())
	})
	.unwrap_or_else(|e| panic!("meter 4 registered: {e}\n{}", node.tail()));
	let meter: pallet_meters::Meter<AccountId> = chain
		.storage(&pallet_meters::Meters::<Runtime>::hashed_key_for(4))
		.expect("readable")
		.expect("the new meter is meter 4, after the four demo meters");
	assert_eq!((meter.zone, meter.owner), (2, bob.clone()));

	// The oracle signs two intervals of Bob's meter; a relayer with no key and no funds
	// submits them as one batch, a general transaction.
	let sign = |interval, imported_wh, exported_wh| {
		let reading = Reading { meter: 4, interval, imported_wh, exported_wh };
		readings::sign(chain.extrinsics.genesis, &demo::oracle().pair(), reading)
	};
	let signed = vec![sign(now - 3, 200, 2_000), sign(now - 2, 300, 3_000)];
	let batch = |signed| chain.extrinsics.general(readings::batch(signed).expect("a small batch"));
	chain.submit(&batch(signed.clone())).expect("the pool takes a valid batch");

	wait_until(TIMEOUT, || Ok(chain.credits(&bob)?.free > 0))
		.unwrap_or_else(|e| panic!("Bob's credits: {e}\n{}", node.tail()));
	assert_eq!(chain.credits(&bob).expect("readable").free, 3_000, "1 credit per Wh exported");
	assert_eq!(chain.credits(&bob).expect("readable").metered, 300);
	let state: pallet_readings::MeterState = chain
		.storage(&pallet_readings::MeterStates::<Runtime>::hashed_key_for(4))
		.expect("readable")
		.expect("the meter's readings are recorded");
	assert_eq!((state.last_interval, state.readings), (now - 2, 2));

	// The same batch again: the pool knows it already (1013), or finds it outdated (1010).
	match chain.submit(&batch(signed.clone())).expect_err("a replay is refused") {
		RpcError::Node(e) if e["code"] == 1013 => {}
		other => assert!(refusal(other).contains("outdated")),
	}
	// Its readings in another batch are replays: the pool refuses them as outdated.
	let replay = chain.submit(&batch(vec![signed[1].clone()])).expect_err("a replay is refused");
	assert!(refusal(replay).contains("outdated"));

	// A reading signed for another chain carries a bad signature.
	let forged = readings::sign(
		sp_core::H256::repeat_byte(1),
		&demo::oracle().pair(),
		Reading { meter: 4, interval: now - 1, imported_wh: 300, exported_wh: 3_100 },
	);
	let refused = chain.submit(&batch(vec![forged])).expect_err("a forged reading is refused");
	assert!(refusal(refused).contains("signature"));
	assert_eq!(chain.credits(&bob).expect("readable").free, 3_000, "nothing changed");

	trade_over_rpc(&chain, &node);
	assert!(node.stop(Duration::from_secs(60)).success());
}

/// Bob (3,000 credits, meter in the new zone 2) sells 2 kWh at 0.15 GRID/kWh; Dave (demo
/// consumption meter in North, zone 0) buys 1.5 kWh at up to 0.20 GRID/kWh all-in and pays the
/// ask plus the 0.02 GRID/kWh grid fee, which goes to Alice, North's operator.
fn trade_over_rpc(chain: &Chain, node: &Node) {
	let bob = Sr25519Keyring::Bob;
	let dave = Sr25519Keyring::Dave;
	let order = |side, zone, amount, price| {
		RuntimeCall::Market(pallet_market::Call::place_order {
			side,
			zone,
			amount,
			price,
			expires_at: None,
		})
	};
	let sell = chain.extrinsics.signed(
		&bob.pair(),
		0,
		order(Side::Sell, 2, 2_000, 150 * MILLI_UNIT),
		born(chain),
	);
	chain.submit(&sell).expect("the pool takes Bob's sell order");
	wait_until(TIMEOUT, || Ok(chain.order(0)?.is_some()))
		.unwrap_or_else(|e| panic!("Bob's order rests: {e}\n{}", node.tail()));
	let held = chain.credits(&bob.to_account_id()).expect("readable");
	assert_eq!((held.free, held.held), (1_000, 2_000), "the order holds its credits");

	let alice = Sr25519Keyring::Alice.to_account_id();
	let alice_before = chain.account(&alice).expect("readable").data.free;
	let bob_before = chain.account(&bob.to_account_id()).expect("readable").data.free;
	let buy = chain.extrinsics.signed(
		&dave.pair(),
		0,
		order(Side::Buy, 0, 1_500, 200 * MILLI_UNIT),
		born(chain),
	);
	chain.submit(&buy).expect("the pool takes Dave's buy order");
	wait_until(TIMEOUT, || Ok(chain.credits(&dave.to_account_id())?.free > 0))
		.unwrap_or_else(|e| panic!("Dave's credits: {e}\n{}", node.tail()));

	assert_eq!(chain.credits(&dave.to_account_id()).expect("readable").free, 1_500);
	let bob_credits = chain.credits(&bob.to_account_id()).expect("readable");
	assert_eq!((bob_credits.free, bob_credits.held), (1_000, 500));
	assert_eq!(chain.order(0).expect("readable").map(|o| o.remaining), Some(500));
	assert_eq!(chain.order(1).expect("readable"), None, "Dave's order filled");
	// 1.5 kWh: 0.225 GRID to Bob, 0.03 GRID to Alice; Dave's hold was released.
	let bob_after = chain.account(&bob.to_account_id()).expect("readable").data.free;
	assert_eq!(bob_after - bob_before, 225 * MILLI_UNIT);
	let alice_after = chain.account(&alice).expect("readable").data.free;
	assert_eq!(alice_after - alice_before, 30 * MILLI_UNIT);
	assert_eq!(chain.account(&dave.to_account_id()).expect("readable").data.reserved, 0);

	// Bob offers more than he has free: the call fails in its block (the fee is paid), and
	// the market and his credits are as they were.
	let overdraw = chain.extrinsics.signed(
		&bob.pair(),
		1,
		order(Side::Sell, 2, 1_001, 150 * MILLI_UNIT),
		born(chain),
	);
	chain.submit(&overdraw).expect("the pool takes it: the fee can be paid");
	wait_until(TIMEOUT, || Ok(chain.account(&bob.to_account_id())?.nonce == 2))
		.unwrap_or_else(|e| panic!("Bob's second order included: {e}\n{}", node.tail()));
	let next: u64 = chain
		.storage(&pallet_market::NextOrderId::<Runtime>::hashed_key())
		.expect("readable")
		.expect("orders were placed");
	assert_eq!(next, 2, "no order was added");
	assert_eq!(chain.credits(&bob.to_account_id()).expect("readable"), bob_credits);
}
