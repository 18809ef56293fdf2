//! The chain specifications built into the node: `dev` and `local`.

use peergrid_runtime::{SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, WASM_BINARY};
use sc_service::{ChainType, Properties};

/// A chain spec of the PeerGrid runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// What wallets read to show balances: token symbol, decimals and address format.
fn properties() -> Properties {
	let mut properties = Properties::new();
	properties.insert("tokenSymbol".into(), TOKEN_SYMBOL.into());
	properties.insert("tokenDecimals".into(), TOKEN_DECIMALS.into());
	properties.insert("ss58Format".into(), SS58_PREFIX.into());
	properties
}

fn chain_spec(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	let wasm = WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm binary is not available: build without SKIP_WASM_BUILD".to_string()
	})?;
	Ok(ChainSpec::builder(wasm, None)
		.with_name(name)
		.with_id(id)
		.with_protocol_id("peergrid")
		.with_chain_type(chain_type)
		.with_properties(properties())
		.with_genesis_config_preset_name(preset)
		.build())
}

/// The single-validator development chain (`--dev`, `--chain dev`).
pub fn development() -> Result<ChainSpec, String> {
	chain_spec(
		"PeerGrid Development",
		"peergrid_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// The local consortium of four utilities (`--chain local`).
pub fn local_testnet() -> Result<ChainSpec, String> {
	chain_spec(
		"PeerGrid Local Consortium",
		"peergrid_local",
		ChainType::Local,
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
