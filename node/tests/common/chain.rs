//! The end-to-end tests' own view of the chain, in the runtime's types: transactions built as
//! the runtime defines them (a cross-check of what `peergrid-client` builds from the metadata)
//! and storage read back over plain HTTP JSON-RPC ([`Rpc`]).

use super::{Rpc, RpcError};
use codec::{Decode, Encode};
use pallet_readings::{signing_payload, Reading, SignedReading};
use peergrid_client::{Mortality, MORTAL_PERIOD};
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
		let era = Era::mortal(MORTAL_PERIOD, u64::from(mortality.number));
		let extension = peergrid_runtime::tx_extension(nonce, era);
		// What the extensions add to the signed payload without carrying it in the
		// transaction: spec and transaction versions, genesis hash, the birth block's hash, no
		// metadata hash.
		let implicit = (
			(),
			(),
			self.spec_version,
			self.transaction_version,
			self.genesis,
			H256(mortality.hash.0),
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
		let block = |hash: Value| -> Result<(u32, peergrid_client::api::Hash), RpcError> {
			let header = self.rpc.call("chain_getHeader", json!([hash]))?;
			let number = header["number"]
				.as_str()
				.and_then(|n| u32::from_str_radix(n.trim_start_matches("0x"), 16).ok())
				.ok_or_else(|| RpcError::Decode(format!("no block number in {header}")))?;
			let bytes = unhex(hash.as_str().unwrap_or_default())?;
			let hash = <[u8; 32]>::try_from(bytes)
				.map_err(|_| RpcError::Decode(format!("not a block hash: {hash}")))?;
			Ok((number, hash.into()))
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

/// Oracle-signed readings, in the runtime's types.
pub mod readings {
	use super::*;

	/// A reading with its oracle's signature.
	pub type Signed = SignedReading<AccountId, MultiSignature>;

	/// `reading` signed by `oracle` for the chain with genesis hash `genesis`.
	pub fn sign(genesis: H256, oracle: &sr25519::Pair, reading: Reading) -> Signed {
		let signature = oracle.sign(&signing_payload(&genesis, &reading));
		SignedReading {
			reading,
			oracle: oracle.public().into(),
			signature: MultiSignature::Sr25519(signature),
		}
	}

	/// The call that submits `readings` as one batch; `None` if there are more than a batch
	/// takes.
	pub fn batch(readings: Vec<Signed>) -> Option<RuntimeCall> {
		Some(RuntimeCall::Readings(pallet_readings::Call::submit_readings {
			readings: readings.try_into().ok()?,
		}))
	}
}
