//! A relayer and a wallet on `peergrid-client`: the utility's oracle (Ferdie) signs a meter's
//! next reading and relays it in a fee-less batch; the household (Bob) offers 1 kWh for sale.
//! On a development chain after its demo (`scripts/run-dev.sh`), for meter 0:
//! `cargo run --release -p peergrid-client --example wallet -- ws://127.0.0.1:9944 0`.

use peergrid_client::{
	api::{peergrid, runtime_types::pallet_market::types::Side, AccountId},
	node::Node,
	readings,
};
use peergrid_primitives::reading::Reading;
use sp_keyring::Sr25519Keyring::{Bob, Ferdie};

#[tokio::main]
async fn main() -> Result<(), String> {
	let mut args = std::env::args().skip(1);
	let url = args.next().unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let meter = args.next().map_or(Ok(0), |m| m.parse()).map_err(|e| format!("meter: {e}"))?;
	let node = Node::connect(&url, false).await?;
	let show = |account: &AccountId| account.to_string();

	// The next interval's registers, 0.5 kWh more exported. The pool refuses a reading that is
	// not newer than the meter's last (`Transaction is outdated`), not yet over (`Transaction
	// will be valid in the future`), or from no oracle of the meter's zone (its pallet error).
	let state = node.storage(&peergrid::storage().readings().meter_states(meter), None).await?;
	let (interval, registers) = state.map_or((0, (0, 0)), |s| {
		(s.last_interval + 1, (s.registers.imported_wh, s.registers.exported_wh + 500))
	});
	let reading = Reading { meter, interval, imported_wh: registers.0, exported_wh: registers.1 };
	let batch = readings::batch(vec![readings::sign(node.genesis(), &Ferdie.pair(), reading)]);
	match node.include(node.general(&batch)?).await {
		Ok(included) => {
			included.events.iter().for_each(|e| println!("{}", node.event_text(e, &show)))
		}
		Err(refused) => println!("reading: {}", String::from(refused)),
	}

	// Bob's sell order: signed, mortal, its nonce from the node; its events or its error.
	let price = node.decimals()?.parse("0.15")?;
	let order = peergrid::tx().market().place_order(Side::Sell, 0, 1_000, price, None);
	match node.send(&Bob.pair(), &order).await {
		Ok(included) => {
			included.events.iter().for_each(|e| println!("{}", node.event_text(e, &show)))
		}
		Err(error) => println!("order: {error}"),
	}
	Ok(())
}
