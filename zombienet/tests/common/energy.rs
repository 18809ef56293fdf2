//! The energy flow as households, their utility and its oracle drive it: meters registered,
//! oracle-signed readings relayed, credits sold, bought and retired.

use codec::Decode;
use peergrid_primitives::reading::{signing_payload, Reading};
use zombienet_sdk::{
	subxt::{
		dynamic::{self, Value},
		ext::scale_value::Composite,
		tx::DynamicPayload,
		utils::AccountId32,
	},
	subxt_signer::sr25519::{dev, Keypair},
};

use super::{
	chain::{account, consortium_decides, count_events, id, raw, stored_u64, submit},
	Client, Hash, INTERVAL_SECONDS, MILLI_GRID,
};

/// What the energy flow left on chain: the test's accounts and ids.
pub struct Market {
	eve: AccountId32,
	ferdie: AccountId32,
	order: u64,
	meters: [u64; 2],
}

/// The state the energy flow created, read from one node at its latest finalized block.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
	credits: Vec<Option<Vec<u8>>>,
	order: Option<Vec<u8>>,
	readings: Vec<Option<Vec<u8>>>,
}

impl Market {
	/// Ferdie buys `amount` Wh at 200 mGRID per kWh from Eve's resting offer: the trades made.
	pub async fn ferdie_buys(&self, client: &Client, amount: u64, what: &str) -> u64 {
		let buy = order("Buy", amount, 200 * MILLI_GRID);
		count_events(&submit(client, &dev::ferdie(), &buy, what).await, "Market", "Trade")
	}

	/// The energy flow's state as `client`'s node has it.
	pub async fn snapshot(&self, client: &Client) -> Snapshot {
		Snapshot {
			credits: vec![
				raw(client, "Credits", "Accounts", vec![account(&self.eve)]).await,
				raw(client, "Credits", "Accounts", vec![account(&self.ferdie)]).await,
			],
			order: raw(client, "Market", "Orders", vec![Value::u128(self.order.into())]).await,
			readings: vec![
				raw(client, "Readings", "MeterStates", vec![Value::u128(self.meters[0].into())])
					.await,
				raw(client, "Readings", "MeterStates", vec![Value::u128(self.meters[1].into())])
					.await,
			],
		}
	}
}

/// A reading signed by `oracle` for the chain `genesis`: sr25519 over the payload
/// `pallet-readings` verifies, from its own definition (`peergrid_primitives::reading`).
pub fn signed_reading(oracle: &Keypair, genesis: Hash, reading: Reading) -> Value {
	let signature = oracle.sign(&signing_payload(&genesis, &reading));
	Value::named_composite([
		(
			"reading",
			Value::named_composite([
				("meter", Value::u128(reading.meter.into())),
				("interval", Value::u128(reading.interval.into())),
				("imported_wh", Value::u128(reading.imported_wh.into())),
				("exported_wh", Value::u128(reading.exported_wh.into())),
			]),
		),
		("oracle", account(&id(oracle))),
		("signature", Value::unnamed_variant("Sr25519", [Value::from_bytes(signature.0)])),
	])
}

pub fn register_meter(
	owner: &AccountId32,
	external_id: &str,
	kind: &str,
	baseline_interval: u64,
) -> Composite<()> {
	Composite::named([
		("zone", Value::u128(0)),
		("external_id", Value::from_bytes(external_id.as_bytes())),
		("owner", account(owner)),
		("kind", Value::unnamed_variant(kind, [])),
		("capacity_w", Value::u128(5_000)),
		(
			"baseline",
			Value::unnamed_variant(
				"Some",
				[Value::named_composite([
					("interval", Value::u128(baseline_interval.into())),
					(
						"registers",
						Value::named_composite([
							("imported_wh", Value::u128(0)),
							("exported_wh", Value::u128(0)),
						]),
					),
				])],
			),
		),
	])
}

/// Through one node: the consortium (a motion) authorizes Ferdie's key as the oracle
/// of zone A; Alice, its operator, registers Eve's rooftop solar and Ferdie's household meter;
/// Ferdie relays two intervals of their signed readings; Eve sells credits, Ferdie buys some
/// and retires them against his consumption.
pub async fn energy_flow(client: &Client) -> Market {
	let (alice, eve, ferdie) = (dev::alice(), dev::eve(), dev::ferdie());
	let genesis = client.genesis_hash();
	let now = now_interval(client).await;
	let next_meter = stored_u64(client, "Meters", "NextMeterId").await.unwrap_or(0);
	let meters = [next_meter, next_meter + 1];

	let authorize = Composite::named([
		("oracle", account(&id(&ferdie))),
		("zones", Value::unnamed_composite([Value::u128(0)])),
	]);
	consortium_decides(client, "Meters", "authorize_oracle", authorize).await;
	let eve_pv = register_meter(&id(&eve), "ZN-EVE-PV", "Bidirectional", now - 5);
	submit(client, &alice, &dynamic::tx("Meters", "register_meter", eve_pv), "Eve's meter").await;
	let ferdie_home = register_meter(&id(&ferdie), "ZN-FERDIE", "Consumption", now - 5);
	let call = dynamic::tx("Meters", "register_meter", ferdie_home);
	submit(client, &alice, &call, "Ferdie's meter").await;

	let readings = vec![
		signed_reading(&ferdie, genesis, reading(meters[0], now - 4, 0, 1_000)),
		signed_reading(&ferdie, genesis, reading(meters[1], now - 4, 1_200, 0)),
		signed_reading(&ferdie, genesis, reading(meters[0], now - 3, 0, 2_000)),
		signed_reading(&ferdie, genesis, reading(meters[1], now - 3, 2_400, 0)),
	];
	let batch =
		dynamic::tx("Readings", "submit_readings", vec![Value::unnamed_composite(readings)]);
	submit(client, &ferdie, &batch, "four signed readings relayed").await;

	let next_order = stored_u64(client, "Market", "NextOrderId").await.unwrap_or(0);
	submit(client, &eve, &order("Sell", 1_500, 150 * MILLI_GRID), "Eve offers 1.5 kWh").await;
	submit(client, &ferdie, &order("Buy", 1_000, 200 * MILLI_GRID), "Ferdie buys 1 kWh").await;
	let retire = dynamic::tx("Credits", "retire", vec![Value::u128(1_000)]);
	submit(client, &ferdie, &retire, "Ferdie retires 1 kWh").await;

	let market = Market { eve: id(&eve), ferdie: id(&ferdie), order: next_order, meters };
	let state = market.snapshot(client).await;
	let credits = |bytes: &Option<Vec<u8>>| bytes.as_deref().map(credits_of);
	let eve = credits(&state.credits[0]).expect("Eve has credits");
	assert_eq!((eve.0, eve.1, eve.2), (500, 500, 2_000), "Eve: 2,000 minted, 1,500 offered");
	assert_eq!(
		credits(&state.credits[1]),
		Some((0, 0, 0, 2_400, 1_000)),
		"Ferdie retired all he bought: 1,000 Wh of the 2,400 metered"
	);
	assert!(state.order.is_some(), "Eve's order rests with 500 Wh");
	assert!(state.readings.iter().all(Option::is_some), "both meters' readings are recorded");
	market
}

/// The chain's current settlement interval.
pub async fn now_interval(client: &Client) -> u64 {
	let now_ms = stored_u64(client, "Timestamp", "Now").await.expect("the chain has a clock");
	now_ms / 1000 / INTERVAL_SECONDS
}

/// An account's credits (`Credits::Accounts`): free, held, minted, metered, retired (Wh).
pub fn credits_of(mut bytes: &[u8]) -> (u64, u64, u64, u64, u64) {
	Decode::decode(&mut bytes).expect("an account's credits")
}

/// An order in zone A that does not expire; `price` per kWh.
pub fn order(side: &str, amount: u64, price: u128) -> DynamicPayload {
	dynamic::tx(
		"Market",
		"place_order",
		Composite::named([
			("side", Value::unnamed_variant(side, [])),
			("zone", Value::u128(0)),
			("amount", Value::u128(amount.into())),
			("price", Value::u128(price)),
			("expires_at", Value::unnamed_variant("None", [])),
		]),
	)
}

pub fn reading(meter: u64, interval: u64, imported_wh: u64, exported_wh: u64) -> Reading {
	Reading { meter, interval, imported_wh, exported_wh }
}
