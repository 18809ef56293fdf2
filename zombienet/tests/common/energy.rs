//! The energy flow as households, their utility and its oracle drive it: meters registered,
//! oracle-signed readings relayed, credits sold, bought and retired.

use codec::Encode;
use peergrid_client::{
	api::{
		peergrid,
		runtime_types::{
			bounded_collections::bounded_vec::BoundedVec,
			pallet_market::types::Side,
			pallet_meters::pallet::Call as Meters,
			peergrid_primitives::{Baseline, MeterKind, Registers},
		},
		AccountId, RuntimeCall,
	},
	readings,
	subxt::{storage::Address, tx::DefaultPayload, utils::Yes},
};
use peergrid_primitives::reading::Reading;

use super::{
	chain::{consortium_decides, id, key, submit},
	Client, MILLI_GRID,
};

/// What the energy flow left on chain: the test's accounts and ids.
pub struct Market {
	eve: AccountId,
	ferdie: AccountId,
	order: u64,
	meters: [u64; 2],
}

/// The state the energy flow created, read from one node at its latest finalized block: the
/// SCALE bytes of each entry, so that equal means equal to the last byte.
#[derive(Debug, PartialEq)]
pub struct Snapshot {
	credits: Vec<Option<Vec<u8>>>,
	order: Option<Vec<u8>>,
	readings: Vec<Option<Vec<u8>>>,
}

/// The SCALE bytes of a storage entry, at the latest finalized block.
async fn bytes<A>(client: &Client, address: &A) -> Option<Vec<u8>>
where
	A: Address<IsFetchable = Yes>,
	A::Target: Encode,
{
	client.storage(address, None).await.expect("storage answers").map(|value| value.encode())
}

impl Market {
	/// Ferdie buys `amount` Wh at 200 mGRID per kWh from Eve's resting offer: the trades made.
	pub async fn ferdie_buys(&self, client: &Client, amount: u64, what: &str) -> usize {
		let included = submit(client, &key("//Ferdie"), &order(Side::Buy, amount, 200), what).await;
		included.find::<peergrid::market::events::Trade>().expect("decodes").len()
	}

	/// The energy flow's state as `client`'s node has it.
	pub async fn snapshot(&self, client: &Client) -> Snapshot {
		let storage = peergrid::storage();
		Snapshot {
			credits: vec![
				bytes(client, &storage.credits().accounts(self.eve.clone())).await,
				bytes(client, &storage.credits().accounts(self.ferdie.clone())).await,
			],
			order: bytes(client, &storage.market().orders(self.order)).await,
			readings: vec![
				bytes(client, &storage.readings().meter_states(self.meters[0])).await,
				bytes(client, &storage.readings().meter_states(self.meters[1])).await,
			],
		}
	}
}

/// `Meters.register_meter`: a meter of zone A owned by `owner`, its registers at zero at the
/// end of `baseline_interval`.
pub fn register_meter(
	owner: &AccountId,
	external_id: &str,
	kind: MeterKind,
	baseline_interval: u64,
) -> DefaultPayload<peergrid::meters::calls::types::RegisterMeter> {
	peergrid::tx().meters().register_meter(
		0,
		BoundedVec(external_id.as_bytes().to_vec()),
		owner.clone(),
		kind,
		5_000,
		Some(Baseline {
			interval: baseline_interval,
			registers: Registers { imported_wh: 0, exported_wh: 0 },
		}),
	)
}

/// Through one node: the consortium (a motion) authorizes Ferdie's key as the oracle
/// of zone A; Alice, its operator, registers Eve's rooftop solar and Ferdie's household meter;
/// Ferdie relays two intervals of their signed readings; Eve sells credits, Ferdie buys some
/// and retires them against his consumption.
pub async fn energy_flow(client: &Client) -> Market {
	let (alice, eve, ferdie) = (key("//Alice"), key("//Eve"), key("//Ferdie"));
	let storage = peergrid::storage();
	let now = client.current_interval().await.expect("the chain's clock");
	let next_meter = client.storage(&storage.meters().next_meter_id(), None).await;
	let next_meter = next_meter.expect("readable").unwrap_or(0);
	let meters = [next_meter, next_meter + 1];

	let authorize = Meters::authorize_oracle { oracle: id(&ferdie), zones: BoundedVec(vec![0]) };
	consortium_decides(client, RuntimeCall::Meters(authorize), "Meters.authorize_oracle").await;
	let eve_pv = register_meter(&id(&eve), "ZN-EVE-PV", MeterKind::Bidirectional, now - 5);
	submit(client, &alice, &eve_pv, "Eve's meter").await;
	let ferdie_home = register_meter(&id(&ferdie), "ZN-FERDIE", MeterKind::Consumption, now - 5);
	submit(client, &alice, &ferdie_home, "Ferdie's meter").await;

	let genesis = client.genesis();
	let sign = |meter, interval, imported_wh, exported_wh| {
		let reading = Reading { meter, interval, imported_wh, exported_wh };
		readings::sign(genesis, &ferdie, reading)
	};
	let batch = readings::batch(vec![
		sign(meters[0], now - 4, 0, 1_000),
		sign(meters[1], now - 4, 1_200, 0),
		sign(meters[0], now - 3, 0, 2_000),
		sign(meters[1], now - 3, 2_400, 0),
	]);
	submit(client, &ferdie, &batch, "four signed readings relayed").await;

	let next_order = client.storage(&storage.market().next_order_id(), None).await;
	let next_order = next_order.expect("readable").unwrap_or(0);
	submit(client, &eve, &order(Side::Sell, 1_500, 150), "Eve offers 1.5 kWh").await;
	submit(client, &ferdie, &order(Side::Buy, 1_000, 200), "Ferdie buys 1 kWh").await;
	let retire = peergrid::tx().credits().retire(1_000);
	submit(client, &ferdie, &retire, "Ferdie retires 1 kWh").await;

	let credits = |who: &AccountId| {
		let address = storage.credits().accounts(who.clone());
		async move { client.storage(&address, None).await.expect("readable").expect("credits") }
	};
	let of_eve = credits(&id(&eve)).await;
	assert_eq!(
		(of_eve.free, of_eve.held, of_eve.minted),
		(500, 500, 2_000),
		"Eve: 2,000 minted, 1,500 offered"
	);
	let of_ferdie = credits(&id(&ferdie)).await;
	assert_eq!(
		(of_ferdie.free, of_ferdie.held, of_ferdie.minted, of_ferdie.metered, of_ferdie.retired),
		(0, 0, 0, 2_400, 1_000),
		"Ferdie retired all he bought: 1,000 Wh of the 2,400 metered"
	);
	let market = Market { eve: id(&eve), ferdie: id(&ferdie), order: next_order, meters };
	let state = market.snapshot(client).await;
	assert!(state.order.is_some(), "Eve's order rests with 500 Wh");
	assert!(state.readings.iter().all(Option::is_some), "both meters' readings are recorded");
	market
}

/// An order in zone A that does not expire, for `price` mGRID per kWh.
pub fn order(
	side: Side,
	amount: u64,
	price: u128,
) -> DefaultPayload<peergrid::market::calls::types::PlaceOrder> {
	peergrid::tx().market().place_order(side, 0, amount, price * MILLI_GRID, None)
}
