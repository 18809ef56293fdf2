//! A wallet on `peergrid-client`: connect, read an account's credits, transfer some, print
//! what the transaction did. On a development chain (`scripts/run-dev.sh`), where Bob holds
//! credits: `cargo run --release -p peergrid-client --example wallet [ws://127.0.0.1:9944]`.

use peergrid_client::{
	api::{peergrid, AccountId},
	node::Node,
};
use sp_keyring::Sr25519Keyring::{Bob, Charlie};

#[tokio::main]
async fn main() -> Result<(), String> {
	let url = std::env::args().nth(1).unwrap_or_else(|| "ws://127.0.0.1:9944".into());
	let node = Node::connect(&url, false).await?;
	let (bob, charlie) = (Bob.pair(), AccountId(Charlie.public().0));
	let credits = peergrid::storage().credits().accounts(AccountId(Bob.public().0));
	let free = node.storage(&credits, None).await?.map_or(0, |account| account.free);
	println!("bob holds {free} Wh of credits");
	if free == 0 {
		return Ok(()); // On a chain without the demo's readings: nothing to transfer.
	}
	// Signed by Bob, mortal, with the nonce the node gives; followed into a block.
	let transfer = peergrid::tx().credits().transfer(charlie, free.min(1_000));
	let included = node.send(&bob, &transfer).await?;
	println!("in block #{}", included.block);
	for event in &included.events {
		println!("  {}", node.event_text(event, &|account| account.to_string()));
	}
	Ok(())
}
