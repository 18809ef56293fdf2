//! Genesis presets: the initial state of the development chain and of the local consortium.
//!
//! - `development`: one validator (Alice), the only consortium member, the dev accounts funded,
//!   Alice as the sudo key, hour-long sessions, and a small demo grid: two zones run by Alice,
//!   four households' meters and an oracle (Ferdie). The only chain with a sudo key.
//! - `local_testnet`: a consortium of four utilities (Alice, Bob, Charlie, Dave), each a member,
//!   a validator with its session keys, the owner of one authorized node and the operator of
//!   one zone; the dev accounts funded; one-minute sessions; no sudo key.
//!
//! In both, every pair of zones trades on the market at [`INTER_ZONE_FEE`].

use crate::{
	configs::MIN_SESSION_LENGTH, AccountId, Balance, BalancesConfig, BlockNumber, MarketConfig,
	MetersConfig, RuntimeGenesisConfig, SessionConfig, SessionKeys, SudoConfig, HOURS, MILLI_UNIT,
	UNIT,
};
use alloc::{vec, vec::Vec};
use frame_support::{build_struct_json_patch, BoundedVec};
use pallet_meters::GenesisMeter;
use peergrid_primitives::MeterKind;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_core::OpaquePeerId as PeerId;
use sp_genesis_builder::{PresetId, DEV_RUNTIME_PRESET, LOCAL_TESTNET_RUNTIME_PRESET};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

/// What each pre-funded dev account holds at genesis: one million GRID.
pub const ENDOWMENT: crate::Balance = 1_000_000 * UNIT;

/// The dev accounts funded in every preset.
pub fn endowed_accounts() -> Vec<AccountId> {
	[
		Sr25519Keyring::Alice,
		Sr25519Keyring::Bob,
		Sr25519Keyring::Charlie,
		Sr25519Keyring::Dave,
		Sr25519Keyring::Eve,
		Sr25519Keyring::Ferdie,
	]
	.iter()
	.map(|k| k.to_account_id())
	.collect()
}

/// The session keys of a dev account: Aura (sr25519) and GRANDPA (ed25519), derived from its
/// name, as `--alice` and friends put them in the node's keystore.
pub fn session_keys(who: Sr25519Keyring) -> SessionKeys {
	let grandpa = match who {
		Sr25519Keyring::Alice => Ed25519Keyring::Alice,
		Sr25519Keyring::Bob => Ed25519Keyring::Bob,
		Sr25519Keyring::Charlie => Ed25519Keyring::Charlie,
		Sr25519Keyring::Dave => Ed25519Keyring::Dave,
		Sr25519Keyring::Eve => Ed25519Keyring::Eve,
		_ => Ed25519Keyring::Ferdie,
	};
	let aura: AuraId = who.public().into();
	let grandpa: GrandpaId = grandpa.public().into();
	SessionKeys { aura, grandpa }
}

/// The libp2p peer id (bytes) of the node key `sha256(name)`: the node key of a local test
/// node called `name`, as zombienet derives it and as `docs/operators.md` shows for
/// `--node-key`. Only the local test network uses such predictable keys.
pub fn local_peer_id(name: &str) -> Vec<u8> {
	use sp_core::Pair;
	let secret = sp_io::hashing::sha2_256(name.as_bytes());
	let public = sp_core::ed25519::Pair::from_seed(&secret).public();
	// An identity multihash (0x00, length 36) of the protobuf-encoded public key (key type
	// ed25519 = 1, then the 32 key bytes).
	let mut peer = vec![0x00, 0x24, 0x08, 0x01, 0x12, 0x20];
	peer.extend_from_slice(public.as_ref());
	peer
}

/// The session length of each preset: an hour on the development chain, the shortest allowed
/// (one minute) on the local test network, so that validator changes show quickly.
pub fn session_length(preset: &str) -> BlockNumber {
	match preset {
		DEV_RUNTIME_PRESET => HOURS,
		_ => MIN_SESSION_LENGTH,
	}
}

/// The grid fee between two different zones in every preset: 0.02 GRID per kWh, both ways.
/// Trades within a zone pay no fee.
pub const INTER_ZONE_FEE: Balance = 20 * MILLI_UNIT;

/// Routes between every pair of `zones` zones, both ways, at [`INTER_ZONE_FEE`].
fn all_routes(zones: u32) -> Vec<(u32, u32, Balance)> {
	(0..zones)
		.flat_map(|from| (0..zones).filter(move |to| *to != from).map(move |to| (from, to)))
		.map(|(from, to)| (from, to, INTER_ZONE_FEE))
		.collect()
}

/// The validators of each preset, as dev keyring names.
pub fn authorities(preset: &str) -> Vec<Sr25519Keyring> {
	match preset {
		DEV_RUNTIME_PRESET => vec![Sr25519Keyring::Alice],
		_ => vec![
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		],
	}
}

/// The development chain's demo grid: zones, meters and the oracle that signs their readings.
pub mod demo {
	use super::*;

	/// The demo zones, both run by Alice: `(name, operator)`.
	pub fn zones() -> Vec<(Vec<u8>, AccountId)> {
		let alice = Sr25519Keyring::Alice.to_account_id();
		vec![(b"North feeder".to_vec(), alice.clone()), (b"South feeder".to_vec(), alice)]
	}

	/// The demo meters, ids 0 to 3: `(zone, external id, owner, kind, capacity in W)`.
	/// Bob and Charlie have rooftop solar; Dave and Eve only consume.
	pub fn meters() -> Vec<GenesisMeter<AccountId>> {
		vec![
			(
				0,
				b"DEMO-NORTH-BOB-PV".to_vec(),
				Sr25519Keyring::Bob.to_account_id(),
				MeterKind::Bidirectional,
				6_000,
			),
			(
				1,
				b"DEMO-SOUTH-CHARLIE-PV".to_vec(),
				Sr25519Keyring::Charlie.to_account_id(),
				MeterKind::Bidirectional,
				8_000,
			),
			(
				0,
				b"DEMO-NORTH-DAVE".to_vec(),
				Sr25519Keyring::Dave.to_account_id(),
				MeterKind::Consumption,
				15_000,
			),
			(
				1,
				b"DEMO-SOUTH-EVE".to_vec(),
				Sr25519Keyring::Eve.to_account_id(),
				MeterKind::Consumption,
				15_000,
			),
		]
	}

	/// The oracle of the demo grid: Ferdie's key plays the utility's meter head-end.
	pub fn oracle() -> Sr25519Keyring {
		Sr25519Keyring::Ferdie
	}
}

/// The utilities of a preset: each a consortium member, a validator and the owner of one
/// authorized node.
struct Consortium {
	validators: Vec<Sr25519Keyring>,
	/// Authorized nodes: `(peer id, owner)`.
	nodes: Vec<(PeerId, AccountId)>,
	session_length: BlockNumber,
	sudo: Option<AccountId>,
}

fn genesis(consortium: Consortium, endowed: Vec<AccountId>, meters: MetersConfig) -> Value {
	let market = MarketConfig { grid_fees: all_routes(meters.zones.len() as u32) };
	let members: Vec<AccountId> = consortium.validators.iter().map(|v| v.to_account_id()).collect();
	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|who| (who, ENDOWMENT)).collect::<Vec<_>>(),
		},
		validators: pallet_validators::GenesisConfig {
			validators: members.clone(),
			session_length: consortium.session_length,
		},
		// Aura's and GRANDPA's authorities come from the session keys.
		session: SessionConfig {
			keys: consortium
				.validators
				.iter()
				.map(|v| (v.to_account_id(), v.to_account_id(), session_keys(*v)))
				.collect::<Vec<_>>(),
		},
		node_authorization: pallet_node_authorization::GenesisConfig { nodes: consortium.nodes },
		consortium_membership: pallet_membership::GenesisConfig {
			// Four members at most, far below `MaxMembers`: nothing is cut.
			members: BoundedVec::truncate_from(members),
			phantom: Default::default(),
		},
		sudo: SudoConfig { key: consortium.sudo },
		meters: meters,
		market: market,
	})
}

fn preset(id: &str) -> Value {
	let validators = authorities(id);
	let consortium = Consortium {
		validators: validators.clone(),
		nodes: match id {
			// The development chain is a single node: it admits no peer.
			DEV_RUNTIME_PRESET => vec![],
			_ => validators
				.iter()
				.map(|v| {
					(PeerId(local_peer_id(&<&str>::from(*v).to_lowercase())), v.to_account_id())
				})
				.collect(),
		},
		session_length: session_length(id),
		sudo: (id == DEV_RUNTIME_PRESET).then(|| Sr25519Keyring::Alice.to_account_id()),
	};
	let meters = match id {
		DEV_RUNTIME_PRESET => MetersConfig {
			zones: demo::zones(),
			meters: demo::meters(),
			oracles: vec![(demo::oracle().to_account_id(), vec![0, 1])],
		},
		// One zone per utility; meters and oracles come by transactions.
		_ => MetersConfig {
			zones: validators
				.iter()
				.zip([&b"Zone A"[..], b"Zone B", b"Zone C", b"Zone D"])
				.map(|(v, name)| (name.to_vec(), v.to_account_id()))
				.collect(),
			meters: vec![],
			oracles: vec![],
		},
	};
	genesis(consortium, endowed_accounts(), meters)
}

/// The JSON patch of the preset named `id`, or `None` for an unknown name.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let name: &str = id.as_ref();
	match name {
		DEV_RUNTIME_PRESET | LOCAL_TESTNET_RUNTIME_PRESET => serde_json::to_vec(&preset(name)).ok(),
		_ => None,
	}
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![PresetId::from(DEV_RUNTIME_PRESET), PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET)]
}
