//! Transactions and motions as a wallet makes them with `peergrid-client`: calls from the API
//! generated from the runtime's metadata, signed (mortal, the nonce from the node), followed into
//! a finalized block, their events and errors decoded as the metadata names them.

use peergrid_client::{
	api::{peergrid, AccountId, DispatchError, RuntimeCall},
	motions::two_thirds,
	node::Included,
	subxt::tx::Payload,
};
use sp_core::{sr25519, Pair};
use std::time::Instant;

use super::Client;

/// The sr25519 key of a secret URI (`//Alice`, `//Regulator`).
pub fn key(uri: &str) -> sr25519::Pair {
	sr25519::Pair::from_string(uri, None).expect("a development secret URI")
}

pub fn id(who: &sr25519::Pair) -> AccountId {
	AccountId(who.public().0)
}

/// The regulator's account: it owns the regulator's admitted node.
pub fn regulator_key() -> sr25519::Pair {
	key("//Regulator")
}

/// Submits `call` signed by `signer` and waits until it succeeded in a block: finalized, unless
/// `client` follows blocks only (`connect(.., false)`, the load's).
pub async fn submit(
	client: &Client,
	signer: &sr25519::Pair,
	call: &impl Payload,
	what: &str,
) -> Included {
	let start = Instant::now();
	let included = client.send(signer, call).await.unwrap_or_else(|e| panic!("{what}: {e}"));
	println!("  ok after {:>3} s: {what}", start.elapsed().as_secs());
	included
}

/// The consortium decides `call` by a motion of three of its four members: alice proposes,
/// she, bob and charlie approve (a proposal carries no vote), and dave's account closes it,
/// each step finalized before the next (so a motion waits for finality four times). Panics
/// unless the call was then executed and succeeded.
pub async fn consortium_decides(client: &Client, call: RuntimeCall, what: &str) {
	let start = Instant::now();
	let members = client.members().await.expect("the consortium's members");
	let threshold = two_thirds(members.len() as u32);
	assert_eq!(threshold, 3, "three of the four utilities decide");
	let (alice, bob, charlie) = (key("//Alice"), key("//Bob"), key("//Charlie"));
	let proposed = client.propose(&alice, call, threshold).await;
	let (_, motion) = proposed.unwrap_or_else(|e| panic!("alice proposes {what}: {e}"));
	let motion =
		motion.unwrap_or_else(|| panic!("{what}: a motion of three is not decided at once"));
	let (a, b, c) = tokio::join!(
		client.vote(&alice, motion, true),
		client.vote(&bob, motion, true),
		client.vote(&charlie, motion, true),
	);
	for (voter, vote) in [("alice", a), ("bob", b), ("charlie", c)] {
		vote.unwrap_or_else(|e| panic!("{voter} approves {what}: {e}"));
	}
	let closed = client.close(&key("//Dave"), motion).await;
	let closed = closed.unwrap_or_else(|e| panic!("dave closes the motion on {what}: {e}"));
	let executed = closed.find::<peergrid::consortium::events::Executed>().expect("decodes");
	assert_eq!(executed.len(), 1, "{what}: the motion passed and its call was made");
	println!("  ok after {:>3} s: the consortium decides {what}", start.elapsed().as_secs());
}

/// The validators of the current session.
pub async fn session_validators(client: &Client) -> Vec<AccountId> {
	let validators = peergrid::storage().session().validators();
	client.storage(&validators, None).await.expect("readable").unwrap_or_default()
}

/// Submits `call` signed by `signer`, which the pool accepts and the chain refuses: waits until
/// it is finalized and returns the error it failed with.
pub async fn submit_refused(
	client: &Client,
	signer: &sr25519::Pair,
	call: &impl Payload,
) -> DispatchError {
	let nonce = client.next_nonce(&id(signer)).await.expect("a nonce");
	let born = client.mortality().await.expect("a block to be born at");
	let tx = client.signed(signer, nonce, call, born).expect("the call is signed");
	let included = client.include(tx).await.expect("the pool accepts the transaction");
	let failed = included.find::<peergrid::system::events::ExtrinsicFailed>().expect("decodes");
	let failed = failed.into_iter().next().expect("the chain refuses the call");
	failed.dispatch_error
}
