//! # PeerGrid client
//!
//! The library a wallet, an oracle's relayer, a regulator's tool or a test uses to talk to a
//! PeerGrid node, on [subxt](https://docs.rs/subxt) with types generated from the runtime's
//! metadata (`client/metadata/peergrid.scale`). It does not depend on the runtime or the
//! pallets, so it builds without compiling them:
//!
//! - [`api`]: the runtime's calls, events, storage, constants and types, generated;
//! - [`node::Node`]: a connected node: transactions built (mortal, nonce from the node),
//!   signed, submitted and followed into a block, their errors named from the metadata;
//!   storage, blocks, events and the node's `energy_` JSON-RPC methods;
//! - [`motions`]: the consortium's motions, proposed, voted on and closed;
//! - [`readings`]: meter readings signed by an oracle key, as `pallet-readings` verifies them
//!   (the payload is [`peergrid_primitives::reading`], the pallet's own definition);
//! - [`auction`]: delivery auction orders, placed, or signed by their trader and relayed in
//!   batches (the payload is [`peergrid_primitives::auction`]);
//! - [`events`]: any event in words, from the metadata (names, accounts, text, errors);
//! - [`amount`]: amounts of the native token as decimals, by the chain's `tokenDecimals`.
//!
//! The `peergrid` command-line client (`src/bin/peergrid`, `docs/cli.md`) is built on it;
//! `examples/wallet.rs` is a wallet in twenty lines.

pub mod amount;
pub mod api;
pub mod auction;
pub mod events;
pub mod motions;
pub mod node;
pub mod readings;

/// The subxt this library is built on, for what a program needs of it directly (its
/// `backend::rpc::RpcClient` for raw JSON-RPC, say), at the same version.
pub use subxt;

use api::Hash;

/// Where a mortal transaction is born: a recent block of the chain it is signed for. It is
/// valid from that block for [`MORTAL_PERIOD`] blocks, and never again: once it dies, replaying
/// it (say, after its account was reaped and funded again) is refused (its signature covers a
/// birth block that the chain no longer names for it: `BadProof`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mortality {
	/// The block's number.
	pub number: u32,
	/// The block's hash, which the signature commits to.
	pub hash: Hash,
}

/// How many blocks a signed transaction stays valid: 64 blocks, 6.4 minutes (polkadot.js's
/// default too).
pub const MORTAL_PERIOD: u64 = 64;

/// How far the finalized block may lag the best block and still be the one a transaction is
/// born at: a finalized birth block can never be reorganized away, so it is preferred, unless
/// finality stalls (then the best block is, or the transaction would die before it is sent).
pub const MAX_FINALITY_LAG: u32 = 16;

impl Mortality {
	/// The birth block a wallet picks: the finalized block, unless it lags the best block by
	/// more than [`MAX_FINALITY_LAG`].
	pub fn pick(best: (u32, Hash), finalized: (u32, Hash)) -> Mortality {
		let (number, hash) =
			if best.0.saturating_sub(finalized.0) > MAX_FINALITY_LAG { best } else { finalized };
		Mortality { number, hash }
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_transaction_is_born_at_the_finalized_block_unless_finality_lags() {
		let (best, finalized) = ((110, Hash::repeat_byte(2)), (100, Hash::repeat_byte(1)));
		assert_eq!(Mortality::pick(best, finalized), Mortality { number: 100, hash: finalized.1 });
		let lagging = (100 + MAX_FINALITY_LAG, Hash::repeat_byte(3));
		assert_eq!(Mortality::pick(lagging, finalized).number, 100, "at the limit");
		let stalled = (101 + MAX_FINALITY_LAG, Hash::repeat_byte(3));
		assert_eq!(
			Mortality::pick(stalled, finalized),
			Mortality { number: stalled.0, hash: stalled.1 }
		);
	}
}
