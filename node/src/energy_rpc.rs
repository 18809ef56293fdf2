//! The `energy_` JSON-RPC methods: the energy runtime API
//! (`peergrid_primitives::api::EnergyApi`) for wallets and regulators, at the best block or
//! at a block they name. `docs/rpc.md` documents each method with a request and response.
//! They answer from state; history (trades, a zone's totals per interval, an account's
//! statement) is the indexer's (docs/indexer.md).

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{error::ErrorObject, ErrorObjectOwned},
};
use peergrid_primitives::{
	api::{AccountPosition, EnergyApi as EnergyRuntimeApi, MeterInfo, OrderBook},
	MeterId, ZoneId,
};
use peergrid_runtime::{opaque::Block, AccountId, Balance};
use serde::Deserialize;
use sp_api::{ApiExt, ProvideRuntimeApi};
use sp_blockchain::HeaderBackend;
use sp_runtime::traits::Block as BlockT;

type Hash = <Block as BlockT>::Hash;

/// A meter, named by its number or by the utility's identifier of it.
#[derive(Clone, Debug, Deserialize)]
#[serde(
	untagged,
	expecting = "a meter: its number on the chain (a JSON number) or the utility's identifier of \
	             it (a JSON string)"
)]
pub enum MeterRef {
	/// Its number on the chain.
	Id(MeterId),
	/// The utility's identifier, e.g. `"NL-0001-A"`.
	External(String),
}

/// The JSON-RPC error codes of the `energy_` methods.
mod code {
	/// The runtime could not answer (e.g. an unknown block hash).
	pub const RUNTIME: i32 = 1;
	/// No such zone.
	pub const UNKNOWN_ZONE: i32 = 2;
}

/// The `energy_` methods.
#[rpc(server, namespace = "energy")]
pub trait EnergyApi {
	/// A meter: registration, status, last reading and totals; `null` if not registered.
	#[method(name = "meter")]
	fn meter(&self, meter: MeterRef, at: Option<Hash>) -> RpcResult<Option<MeterInfo<AccountId>>>;

	/// An account's energy position: credits free and held, minted, retired, consumption not
	/// yet covered, meters and open orders.
	#[method(name = "account")]
	fn account(&self, who: AccountId, at: Option<Hash>) -> RpcResult<AccountPosition>;

	/// A zone's order book by price level, both sides, best first.
	#[method(name = "orderBook")]
	fn order_book(&self, zone: ZoneId, at: Option<Hash>) -> RpcResult<OrderBook<Balance>>;
}

/// The `energy_` methods over a client of the chain.
pub struct Energy<C> {
	client: Arc<C>,
}

impl<C> Energy<C> {
	/// The methods, answering from `client`'s state.
	pub fn new(client: Arc<C>) -> Self {
		Self { client }
	}
}

impl<C: HeaderBackend<Block>> Energy<C> {
	/// The block a query is answered at: the one named, else the best block.
	fn at(&self, at: Option<Hash>) -> Hash {
		at.unwrap_or_else(|| self.client.info().best_hash)
	}
}

fn runtime_error(error: impl ToString) -> ErrorObjectOwned {
	ErrorObject::owned(code::RUNTIME, "the runtime could not answer", Some(error.to_string()))
}

fn unknown_zone(zone: ZoneId) -> ErrorObjectOwned {
	ErrorObject::owned(code::UNKNOWN_ZONE, format!("zone {zone} does not exist"), None::<()>)
}

impl<C> EnergyApiServer for Energy<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EnergyRuntimeApi<Block, AccountId, Balance>,
{
	fn meter(&self, meter: MeterRef, at: Option<Hash>) -> RpcResult<Option<MeterInfo<AccountId>>> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let id = match meter {
			MeterRef::Id(id) => Some(id),
			MeterRef::External(external) => {
				api.meter_id(at, external.into_bytes()).map_err(runtime_error)?
			}
		};
		match id {
			Some(id) => api.meter(at, id).map_err(runtime_error),
			None => Ok(None),
		}
	}

	fn account(&self, who: AccountId, at: Option<Hash>) -> RpcResult<AccountPosition> {
		let at = self.at(at);
		let api = self.client.runtime_api();
		let version = api
			.api_version::<dyn EnergyRuntimeApi<Block, AccountId, Balance>>(at)
			.map_err(runtime_error)?;
		// Blocks of runtimes before spec 105 answer version 1, with the trading totals.
		if version.is_some_and(|v| v < 2) {
			#[allow(deprecated)]
			let v1 = api.account_before_version_2(at, who).map_err(runtime_error)?;
			return Ok(v1.into());
		}
		api.account(at, who).map_err(runtime_error)
	}

	fn order_book(&self, zone: ZoneId, at: Option<Hash>) -> RpcResult<OrderBook<Balance>> {
		let at = self.at(at);
		let book = self.client.runtime_api().order_book(at, zone).map_err(runtime_error)?;
		book.ok_or_else(|| unknown_zone(zone))
	}
}
