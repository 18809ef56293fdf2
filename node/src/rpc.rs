//! The node's JSON-RPC methods beyond the standard `system_`, `chain_`, `state_` and `author_`
//! ones: account nonces (`system_accountNextIndex`, `system_dryRun`), fee queries
//! (`payment_queryInfo`, `payment_queryFeeDetails`), and the `energy_` methods of
//! [`crate::energy_rpc`].

use std::sync::Arc;

use jsonrpsee::RpcModule;
use peergrid_runtime::{opaque::Block, AccountId, Balance, Nonce};
use sc_transaction_pool_api::TransactionPool;
use sp_api::ProvideRuntimeApi;
use sp_block_builder::BlockBuilder;
use sp_blockchain::{Error as BlockChainError, HeaderBackend, HeaderMetadata};

/// What the RPC methods need of the node.
pub struct FullDeps<C, P> {
	/// The client, to read the chain and call the runtime.
	pub client: Arc<C>,
	/// The transaction pool.
	pub pool: Arc<P>,
}

/// All the node's custom RPC methods in one module.
pub fn create_full<C, P>(
	deps: FullDeps<C, P>,
) -> Result<RpcModule<()>, Box<dyn std::error::Error + Send + Sync>>
where
	C: ProvideRuntimeApi<Block>
		+ HeaderBackend<Block>
		+ HeaderMetadata<Block, Error = BlockChainError>
		+ Send
		+ Sync
		+ 'static,
	C::Api: substrate_frame_rpc_system::AccountNonceApi<Block, AccountId, Nonce>,
	C::Api: pallet_transaction_payment_rpc::TransactionPaymentRuntimeApi<Block, Balance>,
	C::Api: BlockBuilder<Block>,
	C::Api: peergrid_primitives::api::EnergyApi<Block, AccountId, Balance>,
	P: TransactionPool + 'static,
{
	use crate::energy_rpc::{Energy, EnergyApiServer};
	use pallet_transaction_payment_rpc::{TransactionPayment, TransactionPaymentApiServer};
	use substrate_frame_rpc_system::{System, SystemApiServer};

	let mut module = RpcModule::new(());
	let FullDeps { client, pool } = deps;
	module.merge(System::new(client.clone(), pool).into_rpc())?;
	module.merge(TransactionPayment::new(client.clone()).into_rpc())?;
	module.merge(Energy::new(client).into_rpc())?;
	Ok(module)
}
