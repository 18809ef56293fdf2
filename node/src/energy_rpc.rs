//! The `energy_` JSON-RPC methods: the energy runtime API
//! (`peergrid_primitives::api::EnergyApi`) for wallets and regulators, at the best block or
//! at a block they name. `docs/rpc.md` documents each method with a request and response.
//! They answer from state; history (trades, a zone's totals per interval, an account's
//! statement) is the indexer's (docs/indexer.md).

use std::sync::Arc;

use jsonrpsee::{
	core::RpcResult,
	proc_macros::rpc,
	types::{
		error::{ErrorObject, INVALID_PARAMS_CODE, INVALID_PARAMS_MSG},
		ErrorObjectOwned,
	},
};
use peergrid_primitives::{
	api::{
		AccountPosition, AuctionInfo, AuctionOrders, EnergyApi as EnergyRuntimeApi, MeterInfo,
		OrderBook, MAX_AUCTION_QUERY_INTERVALS,
	},
	IntervalIndex, MeterId, ZoneId,
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
	/// The runtime at the block does not answer questions of the delivery auction (before
	/// spec 107).
	pub const NO_AUCTION: i32 = 3;
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

	/// A zone's auction of a delivery interval: its stage by the chain's clock, its window,
	/// its curves and indicative clearing until its gate closes, its clearing and delivery
	/// after.
	#[method(name = "auction")]
	fn auction(
		&self,
		zone: ZoneId,
		interval: IntervalIndex,
		at: Option<Hash>,
	) -> RpcResult<AuctionInfo<Balance>>;

	/// An account's orders not yet settled in a zone's auctions of `count` intervals (1 to
	/// 192; default 1) from `interval`, as far as 50,000 orders read allow (`next` says where
	/// to ask again).
	#[method(name = "auctionOrders")]
	fn auction_orders(
		&self,
		who: AccountId,
		zone: ZoneId,
		interval: IntervalIndex,
		count: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<AuctionOrders<Balance>>;
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

fn no_auction() -> ErrorObjectOwned {
	let message = "the runtime at this block does not answer auction questions (energy API \
	               version 3, spec 107)";
	ErrorObject::owned(code::NO_AUCTION, message, None::<()>)
}

impl<C> Energy<C>
where
	C: ProvideRuntimeApi<Block> + HeaderBackend<Block> + Send + Sync + 'static,
	C::Api: EnergyRuntimeApi<Block, AccountId, Balance>,
{
	/// The version of the energy runtime API at `at`, if the runtime has it.
	fn version(&self, at: Hash) -> RpcResult<Option<u32>> {
		self.client
			.runtime_api()
			.api_version::<dyn EnergyRuntimeApi<Block, AccountId, Balance>>(at)
			.map_err(runtime_error)
	}

	/// Fails unless the runtime at `at` has the delivery auction (version 3 of the API).
	fn ensure_auction(&self, at: Hash) -> RpcResult<()> {
		if self.version(at)?.is_none_or(|v| v < 3) {
			return Err(no_auction());
		}
		Ok(())
	}
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
		// Blocks of runtimes before spec 105 answer version 1, with the trading totals.
		if self.version(at)?.is_some_and(|v| v < 2) {
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

	fn auction(
		&self,
		zone: ZoneId,
		interval: IntervalIndex,
		at: Option<Hash>,
	) -> RpcResult<AuctionInfo<Balance>> {
		let at = self.at(at);
		self.ensure_auction(at)?;
		let auction =
			self.client.runtime_api().auction(at, zone, interval).map_err(runtime_error)?;
		auction.ok_or_else(|| unknown_zone(zone))
	}

	fn auction_orders(
		&self,
		who: AccountId,
		zone: ZoneId,
		interval: IntervalIndex,
		count: Option<u32>,
		at: Option<Hash>,
	) -> RpcResult<AuctionOrders<Balance>> {
		let count = count.unwrap_or(1);
		if !(1..=MAX_AUCTION_QUERY_INTERVALS).contains(&count) {
			// As the server reports a parameter it cannot parse: the detail in `data`.
			let detail = format!("count is 1 to {MAX_AUCTION_QUERY_INTERVALS} intervals");
			return Err(ErrorObject::owned(INVALID_PARAMS_CODE, INVALID_PARAMS_MSG, Some(detail)));
		}
		let at = self.at(at);
		self.ensure_auction(at)?;
		let api = self.client.runtime_api();
		let orders = api.auction_orders(at, who, zone, interval, count).map_err(runtime_error)?;
		orders.ok_or_else(|| unknown_zone(zone))
	}
}
