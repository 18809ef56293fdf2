//! # PeerGrid runtime
//!
//! The state machine of the PeerGrid chain: a permissioned chain on which utilities run the
//! validators (Aura block production, GRANDPA finality) and households trade energy credits.
//!
//! The native currency is the **GRID** token with 12 decimals ([`UNIT`]); it pays transaction
//! fees and pays for energy trades. The consortium of utilities governs it by two-thirds
//! motions (`docs/operators.md`). The README's "The runtime" section lists the pallets,
//! constants and genesis presets.

#![cfg_attr(not(feature = "std"), no_std)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
pub mod benchmarks;
pub mod apis;
pub mod configs;
pub mod consortium_root;
pub mod energy;
pub mod genesis_config_presets;
pub mod migrations;
pub mod weights;

use sp_runtime::{
	generic, impl_opaque_keys,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;

/// Opaque types, for the node: it handles blocks and extrinsics without knowing their contents.
pub mod opaque {
	use super::*;
	use sp_runtime::traits::Hash as HashT;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// Opaque block header type.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// Opaque block type.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;
	/// Opaque block hash type.
	pub type Hash = <BlakeTwo256 as HashT>::Output;
}

impl_opaque_keys! {
	/// The keys a validator registers: Aura for authoring, GRANDPA for finality.
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// Declares the runtime's version with the given `spec_version` (a literal: the attribute
/// macro embeds the version in the wasm, where nodes read it without running the code).
macro_rules! runtime_version {
	($spec_version:tt) => {
		/// The runtime's version. `spec_version` is raised with every change of runtime logic.
		#[sp_version::runtime_version]
		pub const VERSION: RuntimeVersion = RuntimeVersion {
			spec_name: alloc::borrow::Cow::Borrowed("peergrid"),
			impl_name: alloc::borrow::Cow::Borrowed("peergrid"),
			authoring_version: 1,
			spec_version: $spec_version,
			impl_version: 1,
			apis: apis::RUNTIME_API_VERSIONS,
			transaction_version: 1,
			system_version: 1,
		};
	};
}
#[cfg(not(feature = "next-spec"))]
runtime_version!(108);
// The feature `next-spec` builds this runtime as the next version, for the zombienet test of
// an upgrade by motion (`scripts/test-runtimes.sh`).
#[cfg(feature = "next-spec")]
runtime_version!(109);

/// Target block time: one block every 6 seconds.
#[cfg(not(feature = "fast-blocks"))]
pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
/// The feature `fast-blocks` builds a runtime with one block every 2 seconds, for the zombienet
/// test only (`scripts/test-runtimes.sh`): its network then does in a third of the time what
/// takes a number of blocks (sessions, finality, history older than 256 blocks).
#[cfg(feature = "fast-blocks")]
pub const MILLI_SECS_PER_BLOCK: u64 = 2000;
/// Aura slot duration. It cannot be changed once the chain runs.
pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

/// Blocks per minute.
pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
/// Blocks per hour.
pub const HOURS: BlockNumber = MINUTES * 60;
/// Blocks per day.
pub const DAYS: BlockNumber = HOURS * 24;

/// Symbol of the native currency, as wallets show it.
pub const TOKEN_SYMBOL: &str = "GRID";
/// Decimals of the native currency: 1 GRID = 10^12 planck.
pub const TOKEN_DECIMALS: u8 = 12;
/// SS58 address prefix: 42, the generic Substrate prefix that every wallet knows.
pub const SS58_PREFIX: u16 = 42;

/// One GRID, in the smallest unit.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a GRID.
pub const MILLI_UNIT: Balance = 1_000_000_000;
/// One millionth of a GRID.
pub const MICRO_UNIT: Balance = 1_000_000;

/// The least balance an account must hold to exist: 0.001 GRID.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

/// Transactions are signed with sr25519, ed25519 or ecdsa keys.
pub type Signature = MultiSignature;
/// An account is identified by its public key.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;
/// Balance of an account.
pub type Balance = u128;
/// Transaction counter of an account.
pub type Nonce = u32;
/// A hash of some data.
pub type Hash = sp_core::H256;
/// Block number.
pub type BlockNumber = u32;
/// The address format for describing accounts.
pub type Address = MultiAddress<AccountId, ()>;
/// Block header type as expected by this runtime.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
/// Block type as expected by this runtime.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks and payments applied to every transaction. `AuthorizeCall` comes first: it lets
/// the calls that authorize themselves (oracle-signed readings) in without a signature or fee.
pub type TxExtension = (
	frame_system::AuthorizeCall<Runtime>,
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// The extensions of a transaction from an account whose next nonce is `nonce`, valid during
/// `era`, no tip, no metadata hash. A signed transaction should be mortal
/// (`Era::mortal(period, block)`, signed over that block's hash): an immortal one could be
/// replayed once its account is reaped and funded again. (A general transaction, which has no
/// sender, takes any nonce; its era only bounds how long the pool keeps it.)
pub fn tx_extension(nonce: Nonce, era: sp_runtime::generic::Era) -> TxExtension {
	(
		frame_system::AuthorizeCall::new(),
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(era),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
		frame_system::WeightReclaim::new(),
	)
}

/// Unchecked extrinsic type as expected by this runtime.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload being signed in transactions.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Executive: dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	// Balances come before the session: at genesis the session's keys take a consumer
	// reference on accounts that balances must already provide for.
	#[runtime::pallet_index(4)]
	pub type Balances = pallet_balances;

	// The validator set and the session come before Aura and GRANDPA: at genesis and at every
	// session change, the session hands them their new authorities.
	#[runtime::pallet_index(7)]
	pub type Validators = pallet_validators;

	#[runtime::pallet_index(8)]
	pub type Session = pallet_session;

	#[runtime::pallet_index(2)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(3)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(5)]
	pub type TransactionPayment = pallet_transaction_payment;

	/// Only the single-node development chain has a sudo key; in the consortium's chains
	/// nobody holds it and Root acts only through `ConsortiumRoot`.
	#[runtime::pallet_index(6)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(9)]
	pub type NodeAuthorization = pallet_node_authorization;

	#[runtime::pallet_index(14)]
	pub type ConsortiumMembership = pallet_membership<Instance1>;

	#[runtime::pallet_index(15)]
	pub type Consortium = pallet_collective<Instance1>;

	#[runtime::pallet_index(16)]
	pub type ConsortiumRoot = consortium_root;

	#[runtime::pallet_index(10)]
	pub type Meters = pallet_meters;

	#[runtime::pallet_index(11)]
	pub type Readings = pallet_readings;

	#[runtime::pallet_index(12)]
	pub type Credits = pallet_credits;

	#[runtime::pallet_index(13)]
	pub type Market = pallet_market;

	#[runtime::pallet_index(17)]
	pub type MultiBlockMigrations = pallet_migrations;

	#[runtime::pallet_index(18)]
	pub type Authorship = pallet_authorship;

	#[runtime::pallet_index(19)]
	pub type Historical = pallet_session::historical;

	#[runtime::pallet_index(20)]
	pub type Offences = pallet_offences;

	#[runtime::pallet_index(21)]
	pub type Auction = pallet_auction;
}
