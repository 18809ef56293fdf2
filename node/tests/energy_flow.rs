//! End-to-end: on a running dev node, a zone and a meter are registered, an oracle-signed batch
//! of readings is submitted over JSON-RPC by a relayer without a key, and the credits appear in
//! the meter owner's balance; a replayed batch and a reading signed for another chain are
//! refused by the node's transaction pool.

mod common;

use common::{Node, TempDir};
use pallet_readings::Reading;
use peergrid_client::{readings, wait_until, Chain, RpcError};
use peergrid_primitives::{Baseline, MeterKind, Registers};
use peergrid_runtime::{genesis_config_presets::demo, AccountId, Runtime, RuntimeCall};
use sp_keyring::Sr25519Keyring;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(120);

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

	// The consortium (sudo, for now) creates a zone run by Alice and lets the demo oracle sign
	// for it; Alice, as the zone's operator, registers Bob's meter with a baseline.
	wait_until(TIMEOUT, || Ok(chain.now()? > 0)).expect("the first block sets the chain's clock");
	let now = chain.current_interval().expect("the chain's clock");
	let sudo = |call| RuntimeCall::Sudo(pallet_sudo::Call::sudo { call: Box::new(call) });
	let calls = [
		sudo(RuntimeCall::Meters(pallet_meters::Call::create_zone {
			name: b"E2E feeder".to_vec().try_into().expect("short"),
			operator: alice.to_account_id(),
		})),
		sudo(RuntimeCall::Meters(pallet_meters::Call::authorize_oracle {
			oracle: demo::oracle().to_account_id(),
			zones: vec![0, 1, 2].try_into().expect("few zones"),
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
		chain.submit(&chain.signed(alice, nonce as u32, call)).expect("the pool takes it");
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
		readings::sign(chain.genesis, demo::oracle(), reading)
	};
	let signed = vec![sign(now - 3, 200, 2_000), sign(now - 2, 300, 3_000)];
	let batch = |signed| chain.general(readings::batch(signed).expect("a small batch"));
	chain.submit(&batch(signed.clone())).expect("the pool takes a valid batch");

	wait_until(TIMEOUT, || Ok(chain.credits(&bob)?.free > 0))
		.unwrap_or_else(|e| panic!("Bob's credits: {e}\n{}", node.tail()));
	assert_eq!(chain.credits(&bob).expect("readable").free, 3_000, "1 credit per Wh exported");
	assert_eq!(chain.consumption(&bob).expect("readable").metered, 300);
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
		demo::oracle(),
		Reading { meter: 4, interval: now - 1, imported_wh: 300, exported_wh: 3_100 },
	);
	let refused = chain.submit(&batch(vec![forged])).expect_err("a forged reading is refused");
	assert!(refusal(refused).contains("signature"));
	assert_eq!(chain.credits(&bob).expect("readable").free, 3_000, "nothing changed");

	assert!(node.stop(Duration::from_secs(60)).success());
}
