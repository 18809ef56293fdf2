//! # PeerGrid client
//!
//! What a wallet, an oracle's relayer or a test needs to talk to a PeerGrid node, built from
//! the runtime's own types:
//!
//! - [`Extrinsics`]: transactions built as wallets build them (signed, or general for calls
//!   that authorize themselves, such as oracle-signed readings);
//! - [`readings`]: readings signed by an oracle key, as `pallet-readings` documents;
//! - [`Rpc`] and [`Chain`]: JSON-RPC over plain HTTP/1.1 (the node serves HTTP and WebSocket
//!   on one port) for the end-to-end tests: transactions submitted, storage read back (an
//!   account's balances, credits, consumption and market orders).
//!
//! The `peergrid` command-line client (`src/bin/peergrid`, `docs/cli.md`) uses [`Extrinsics`]
//! and [`readings`], and subxt for everything it says to the node.

pub mod readings;
mod rpc;

pub use rpc::{Rpc, RpcError};

use codec::{Decode, Encode};
use peergrid_runtime::{AccountId, Address, Nonce, RuntimeCall, SignedPayload, UncheckedExtrinsic};
use serde_json::{json, Value};
use sp_core::{sr25519, Pair, H256};
use sp_runtime::{generic::Era, MultiSignature};
use std::time::{Duration, Instant};

/// An account's record: its nonce and native-currency balances.
pub type AccountInfo = frame_system::AccountInfo<
	Nonce,
	<peergrid_runtime::Runtime as frame_system::Config>::AccountData,
>;

/// `0x`-prefixed hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
	sp_core::bytes::to_hex(bytes, false)
}

/// Bytes of a `0x`-prefixed hex string.
pub fn unhex(s: &str) -> Result<Vec<u8>, RpcError> {
	sp_core::bytes::from_hex(s).map_err(|e| RpcError::Decode(format!("bad hex {s}: {e:?}")))
}

/// What a wallet must know of a chain to build its transactions: the genesis hash and the
/// runtime's versions, which every signature commits to.
#[derive(Clone, Copy, Debug)]
pub struct Extrinsics {
	/// `chain_getBlockHash(0)`.
	pub genesis: H256,
	/// The runtime's `specVersion`.
	pub spec_version: u32,
	/// The runtime's `transactionVersion`.
	pub transaction_version: u32,
}

/// Where a mortal transaction is born: a recent block of the chain it is signed for. It is
/// valid from that block for [`MORTAL_PERIOD`] blocks, and never again: once it dies, replaying
/// it (say, after its account was reaped and funded again) is refused (its signature covers a
/// birth block that the chain no longer names for it: `BadProof`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Mortality {
	/// The block's number.
	pub number: u32,
	/// The block's hash, which the signature commits to.
	pub hash: H256,
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
	pub fn pick(best: (u32, H256), finalized: (u32, H256)) -> Mortality {
		let (number, hash) =
			if best.0.saturating_sub(finalized.0) > MAX_FINALITY_LAG { best } else { finalized };
		Mortality { number, hash }
	}

	/// The era it gives a transaction.
	pub fn era(&self) -> Era {
		Era::mortal(MORTAL_PERIOD, u64::from(self.number))
	}
}

impl Extrinsics {
	/// `call` signed by `signer` as a wallet signs it, with `nonce`, mortal from the block
	/// `mortality` names, no tip.
	pub fn signed(
		&self,
		signer: &sr25519::Pair,
		nonce: Nonce,
		call: RuntimeCall,
		mortality: Mortality,
	) -> UncheckedExtrinsic {
		let extension = peergrid_runtime::tx_extension(nonce, mortality.era());
		// What the extensions add to the signed payload without carrying it in the
		// transaction: spec and transaction versions, genesis hash, the birth block's hash, no
		// metadata hash.
		let implicit = (
			(),
			(),
			self.spec_version,
			self.transaction_version,
			self.genesis,
			mortality.hash,
			(),
			(),
			(),
			None,
			(),
		);
		let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
		let signature = payload.using_encoded(|bytes| signer.sign(bytes));
		UncheckedExtrinsic::new_signed(
			call,
			Address::Id(signer.public().into()),
			MultiSignature::Sr25519(signature),
			extension,
		)
	}

	/// `call` as a general transaction: no signer, no fee. Only calls that authorize
	/// themselves (oracle-signed readings) are valid so; they carry their own replay
	/// protection (a reading is accepted once), so the transaction is immortal.
	pub fn general(&self, call: RuntimeCall) -> UncheckedExtrinsic {
		UncheckedExtrinsic::new_transaction(call, peergrid_runtime::tx_extension(0, Era::Immortal))
	}
}

/// A node over HTTP JSON-RPC, and the chain's identity that transactions commit to.
pub struct Chain {
	/// The node's JSON-RPC endpoint.
	pub rpc: Rpc,
	/// How to build the chain's transactions.
	pub extrinsics: Extrinsics,
}

impl Chain {
	/// Connects to the node at `rpc` and reads the chain's identity.
	pub fn connect(rpc: Rpc) -> Result<Self, RpcError> {
		let genesis = rpc.call("chain_getBlockHash", json!([0]))?;
		let genesis = unhex(genesis.as_str().unwrap_or_default())?;
		let version = rpc.call("state_getRuntimeVersion", json!([]))?;
		let number = |key: &str| {
			version[key]
				.as_u64()
				.and_then(|v| u32::try_from(v).ok())
				.ok_or_else(|| RpcError::Decode(format!("no {key} in {version}")))
		};
		let extrinsics = Extrinsics {
			genesis: H256::from_slice(&genesis),
			spec_version: number("specVersion")?,
			transaction_version: number("transactionVersion")?,
		};
		Ok(Chain { extrinsics, rpc })
	}

	/// The block a transaction signed now is born at ([`Mortality::pick`]).
	pub fn mortality(&self) -> Result<Mortality, RpcError> {
		let block = |hash: Value| -> Result<(u32, H256), RpcError> {
			let header = self.rpc.call("chain_getHeader", json!([hash]))?;
			let number = header["number"]
				.as_str()
				.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
				.ok_or_else(|| RpcError::Decode(format!("no block number in {header}")))?;
			let bytes = unhex(hash.as_str().unwrap_or_default())?;
			let hash = <[u8; 32]>::try_from(bytes)
				.map_err(|_| RpcError::Decode(format!("not a block hash: {hash}")))?;
			Ok((number, H256(hash)))
		};
		let best = block(self.rpc.call("chain_getBlockHash", json!([]))?)?;
		let finalized = block(self.rpc.call("chain_getFinalizedHead", json!([]))?)?;
		Ok(Mortality::pick(best, finalized))
	}

	/// Submits `xt` (`author_submitExtrinsic`); its hash, or the node's refusal.
	pub fn submit(&self, xt: &UncheckedExtrinsic) -> Result<Value, RpcError> {
		self.rpc.call("author_submitExtrinsic", json!([hex(&xt.encode())]))
	}

	/// The value at storage `key`, decoded, if there is one.
	pub fn storage<T: Decode>(&self, key: &[u8]) -> Result<Option<T>, RpcError> {
		let value = self.rpc.call("state_getStorage", json!([hex(key)]))?;
		value
			.as_str()
			.map(|v| {
				T::decode(&mut &unhex(v)?[..])
					.map_err(|e| RpcError::Decode(format!("storage value: {e}")))
			})
			.transpose()
	}

	/// The chain's clock: the timestamp of its best block, in seconds since the Unix epoch (0
	/// before its first block).
	pub fn now(&self) -> Result<u64, RpcError> {
		let key = pallet_timestamp::Now::<peergrid_runtime::Runtime>::hashed_key();
		Ok(self.storage::<u64>(&key)?.unwrap_or_default() / 1000)
	}

	/// The settlement interval the chain's clock is in: readings may be for the ones before.
	pub fn current_interval(&self) -> Result<u64, RpcError> {
		Ok(self.now()? / peergrid_runtime::configs::SETTLEMENT_INTERVAL_SECONDS)
	}

	/// An account's energy credits, free and held.
	pub fn credits(&self, who: &AccountId) -> Result<pallet_credits::CreditAccount, RpcError> {
		let key = pallet_credits::Accounts::<peergrid_runtime::Runtime>::hashed_key_for(who);
		Ok(self.storage(&key)?.unwrap_or_default())
	}

	/// An account's nonce and native-currency balances (free, reserved, frozen).
	pub fn account(&self, who: &AccountId) -> Result<AccountInfo, RpcError> {
		let key = frame_system::Account::<peergrid_runtime::Runtime>::hashed_key_for(who);
		Ok(self.storage(&key)?.unwrap_or_default())
	}

	/// An open order of the market; `None` once it filled, was cancelled or expired.
	pub fn order(
		&self,
		id: pallet_market::OrderId,
	) -> Result<Option<pallet_market::OrderOf<peergrid_runtime::Runtime>>, RpcError> {
		self.storage(&pallet_market::Orders::<peergrid_runtime::Runtime>::hashed_key_for(id))
	}
}

/// Polls `done` every half second until it returns `Ok(true)`, an error, or `timeout` passes.
pub fn wait_until(
	timeout: Duration,
	mut done: impl FnMut() -> Result<bool, RpcError>,
) -> Result<(), RpcError> {
	let deadline = Instant::now() + timeout;
	while !done()? {
		if Instant::now() > deadline {
			return Err(RpcError::Timeout(timeout));
		}
		std::thread::sleep(Duration::from_millis(500));
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_transaction_is_born_at_the_finalized_block_unless_finality_lags() {
		let (best, finalized) = ((110, H256::repeat_byte(2)), (100, H256::repeat_byte(1)));
		assert_eq!(Mortality::pick(best, finalized), Mortality { number: 100, hash: finalized.1 });
		let stalled = (117 + MAX_FINALITY_LAG, H256::repeat_byte(3));
		assert_eq!(Mortality::pick(stalled, finalized).number, stalled.0);
		// Valid from the birth block for the period, and never after.
		let era = Mortality { number: 100, hash: finalized.1 }.era();
		assert_eq!((era.birth(130), era.death(130)), (100, 100 + MORTAL_PERIOD));
	}

	#[test]
	fn a_general_transaction_is_the_bytes_docs_wallets_md_shows() {
		// The worked example of pallets/readings/README.md, as a batch of one.
		let oracle: [u8; 32] =
			sp_core::hex2array!("cdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc");
		let signature = sp_core::ed25519::Signature::from_raw(sp_core::hex2array!(
			"5cb422ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003\
			 b8868f2123ae40cb23b0ee185621c0f908dc3975c31d0715dac85735fe13790e"
		));
		let reading = pallet_readings::Reading {
			meter: 7,
			interval: 1_963_584,
			imported_wh: 1_200,
			exported_wh: 3_400,
		};
		let signed = readings::Signed {
			reading,
			oracle: oracle.into(),
			signature: MultiSignature::Ed25519(signature),
		};
		let call = readings::batch(vec![signed]).expect("one reading fits a batch");
		let extrinsics = Extrinsics {
			genesis: H256::repeat_byte(0x11),
			spec_version: 1,
			transaction_version: 1,
		};
		let documented = "0x29024500000000000b0004070000000000000040f61d0000000000b004000000000000\
			480d000000000000cdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc005cb4\
			22ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003b8868f2123ae40cb23b0ee1856\
			21c0f908dc3975c31d0715dac85735fe13790e";
		assert_eq!(hex(&extrinsics.general(call).encode()), documented);
	}
}
