//! Delivery auction orders, as `pallet-auction` takes them: placed by their trader, or signed
//! by their trader once ([`peergrid_primitives::auction::order_signing_payload`], the pallet's
//! own definition) and relayed in fee-less batches by anyone; and standing orders, set once,
//! that enter every auction of their zone at their hours. The terms are
//! [`peergrid_primitives::auction::OrderTerms`] and
//! [`peergrid_primitives::auction::StandingTerms`], used as they are; the calls are generated.

use crate::{
	api::{peergrid, runtime_types, AccountId, Hash},
	node::Node,
};
use codec::{Decode, Encode};
use peergrid_primitives::{
	api::{AuctionInfo, AuctionOrders},
	auction::{order_signing_payload, OrderTerms, Product, Side, StandingTerms},
	IntervalIndex, ZoneId,
};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair};
use subxt::utils::Static;

/// An order's terms on PeerGrid: prices in planck per kWh.
pub type Terms = OrderTerms<u128>;

/// An order signed by its trader, as `Auction.submit_orders` takes it.
pub type Signed = runtime_types::pallet_auction::types::SignedOrder<
	AccountId,
	u128,
	runtime_types::sp_runtime::MultiSignature,
>;

/// The trader's own order: the call `Auction.place_order`.
pub type Place = subxt::tx::DefaultPayload<peergrid::auction::calls::types::PlaceOrder>;

/// A relayed batch of signed orders: the call `Auction.submit_orders`.
pub type Relay = subxt::tx::DefaultPayload<peergrid::auction::calls::types::SubmitOrders>;

/// The call by which a trader places its own order `nonce`.
pub fn place(nonce: u64, terms: Terms) -> Place {
	peergrid::tx().auction().place_order(nonce, Static(terms))
}

/// The call by which a trader cancels its order `nonce` of `product` and `side`.
pub fn cancel(
	product: Product,
	side: Side,
	nonce: u64,
) -> subxt::tx::DefaultPayload<peergrid::auction::calls::types::CancelOrder> {
	peergrid::tx().auction().cancel_order(Static(product), Static(side), nonce)
}

/// A standing order's terms on PeerGrid: prices in planck per kWh.
pub type Standing = StandingTerms<u128>;

/// A standing order as the chain keeps it (`Auction.Standing`): its terms, the first interval
/// it enters, and the deposit it holds.
pub type StandingOrder = runtime_types::pallet_auction::types::StandingOrder<u128>;

/// The call by which a trader sets its standing order `id` (below 2^63), or replaces its terms.
pub fn set_standing(
	id: u64,
	terms: Standing,
) -> subxt::tx::DefaultPayload<peergrid::auction::calls::types::SetStandingOrder> {
	peergrid::tx().auction().set_standing_order(id, Static(terms))
}

/// The call by which a trader cancels its standing order `id` in `zone`.
pub fn cancel_standing(
	zone: ZoneId,
	id: u64,
) -> subxt::tx::DefaultPayload<peergrid::auction::calls::types::CancelStandingOrder> {
	peergrid::tx().auction().cancel_standing_order(zone, id)
}

/// `who`'s standing orders in `zone`, by id, at the best block. The chain keeps a zone's
/// standing orders (at most `MaxStandingPerZone`) under the key `(zone, (trader, id))`, its
/// second part hashed with `Blake2_128Concat`: the last 40 bytes of each key are the trader
/// and the id, SCALE-encoded, which this reads back.
pub async fn standing_of(
	node: &Node,
	who: &AccountId,
	zone: ZoneId,
) -> Result<Vec<(u64, StandingOrder)>, String> {
	let storage = node.api.storage().at(node.best_hash().await?);
	let address = peergrid::storage().auction().standing_iter1(zone);
	let mut entries = storage.iter(address).await.map_err(|e| e.to_string())?;
	let mut found = Vec::new();
	while let Some(entry) = entries.next().await {
		let entry = entry.map_err(|e| e.to_string())?;
		let key = entry.key_bytes.get(entry.key_bytes.len().saturating_sub(40)..);
		let (trader, id) = key
			.and_then(|mut key| <(AccountId, u64)>::decode(&mut key).ok())
			.ok_or("a standing order's key does not end in its trader and id")?;
		if trader == *who {
			found.push((id, entry.value));
		}
	}
	found.sort_by_key(|(id, _)| *id);
	Ok(found)
}

/// `trader`'s order `nonce` with `terms`, signed for the chain with genesis hash `genesis`.
pub fn sign(genesis: Hash, trader: &sr25519::Pair, nonce: u64, terms: Terms) -> Signed {
	let account = AccountId(trader.public().0);
	let signature = trader.sign(&order_signing_payload(&genesis, &account, nonce, &terms));
	Signed {
		trader: account,
		nonce,
		terms: Static(terms),
		signature: runtime_types::sp_runtime::MultiSignature::Sr25519(signature.0),
		__ignore: Default::default(),
	}
}

/// The call that relays `orders` in one batch.
pub fn relay(orders: Vec<Signed>) -> Relay {
	peergrid::tx()
		.auction()
		.submit_orders(runtime_types::bounded_collections::bounded_vec::BoundedVec(orders))
}

/// An interval's auction in a zone, as the node's `energy_auction` answers it.
pub type Info = AuctionInfo<u128>;

/// A trader's orders in a zone's auctions, as the node's `energy_auctionOrders` answers them.
pub type Positions = AuctionOrders<u128>;

/// Asks the node's `method` with `params`, and reads its answer as a `T`.
async fn ask<T: serde::de::DeserializeOwned>(
	node: &Node,
	method: &str,
	params: Vec<Value>,
) -> Result<T, String> {
	let answer = node.call(method, params).await?;
	serde_json::from_value(answer)
		.map_err(|e| format!("{method} answered what is not understood: {e}"))
}

/// `zone`'s auction of `interval` at block `at`, else at the best block (`energy_auction`).
pub async fn info(
	node: &Node,
	zone: ZoneId,
	interval: IntervalIndex,
	at: Option<Hash>,
) -> Result<Info, String> {
	let mut params = vec![json!(zone), json!(interval)];
	params.extend(at.map(|hash| json!(hash)));
	ask(node, "energy_auction", params).await
}

/// `who`'s orders not settled in `zone`'s auctions of `count` intervals from `first`, at the
/// best block, as far as the node reads in one question (`next` says where to go on from):
/// `energy_auctionOrders`.
pub async fn orders(
	node: &Node,
	who: &AccountId,
	zone: ZoneId,
	first: IntervalIndex,
	count: u32,
) -> Result<Positions, String> {
	let params = vec![json!(who.to_string()), json!(zone), json!(first), json!(count)];
	ask(node, "energy_auctionOrders", params).await
}

/// A signed order as a line of text: `0x` and its SCALE bytes in hex, what `peergrid auction
/// sign` writes and `peergrid auction relay` reads.
pub fn to_hex(order: &Signed) -> String {
	sp_core::bytes::to_hex(&order.encode(), false)
}

/// A signed order from a line of [`to_hex`].
pub fn from_hex(line: &str) -> Result<Signed, String> {
	let line = line.trim();
	if !line.starts_with("0x") {
		return Err("a signed order starts with 0x".into());
	}
	let bytes =
		sp_core::bytes::from_hex(line).map_err(|e| format!("a signed order is hex: {e:?}"))?;
	let mut input = &bytes[..];
	let order = Signed::decode(&mut input).map_err(|e| format!("not a signed order: {e}"))?;
	if !input.is_empty() {
		return Err(format!("{} bytes after the signed order", input.len()));
	}
	Ok(order)
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_signed_order_survives_its_line_of_hex_and_verifies_on_its_payload() {
		let trader = sr25519::Pair::from_string("//Dave", None).expect("a dev key");
		let genesis = Hash::repeat_byte(0x11);
		let terms = Terms {
			side: Side::Bid,
			product: Product { zone: 0, interval: 1_963_584 },
			meter: 2,
			quantity: 1_200,
			price: 200_000_000_000,
		};
		let signed = sign(genesis, &trader, 7, terms);
		let back = from_hex(&to_hex(&signed)).expect("it decodes");
		assert_eq!(back.encode(), signed.encode());
		let payload = order_signing_payload(&genesis, &back.trader, back.nonce, &back.terms.0);
		let runtime_types::sp_runtime::MultiSignature::Sr25519(signature) = back.signature else {
			panic!("an sr25519 signature");
		};
		let signature = sr25519::Signature::from_raw(signature);
		assert!(sr25519::Pair::verify(&signature, &payload, &trader.public()));
		assert!(from_hex("0x00").is_err() && from_hex("nothex").is_err());
		assert!(from_hex(&format!("{}00", to_hex(&signed))).is_err(), "trailing bytes");
	}
}
