//! What wallets and regulators see of the runtime: metadata that documents every call, event,
//! error and storage item (polkadot.js Apps shows it without custom type definitions), and the
//! energy runtime API's answers on the presets' genesis state.

use crate::common::new_test_ext;
use codec::Decode;
use frame_metadata::{v15::RuntimeMetadataV15, RuntimeMetadata, RuntimeMetadataPrefixed};
use peergrid_primitives::api::AuctionStage;
use peergrid_runtime::{energy, Runtime};
use scale_info::TypeDef;
use sp_genesis_builder::DEV_RUNTIME_PRESET;
use sp_keyring::Sr25519Keyring;

fn metadata() -> RuntimeMetadataV15 {
	let opaque = Runtime::metadata_at_version(15).expect("the runtime serves metadata v15");
	let prefixed = RuntimeMetadataPrefixed::decode(&mut &opaque[..]).expect("it decodes");
	match prefixed.1 {
		RuntimeMetadata::V15(metadata) => metadata,
		_ => unreachable!("asked for v15"),
	}
}

/// The names of the variants of enum type `ty` that have no documentation or unnamed fields.
fn undocumented(metadata: &RuntimeMetadataV15, ty: u32) -> Vec<String> {
	let ty = metadata.types.resolve(ty).expect("the type is in the registry");
	let TypeDef::Variant(variants) = &ty.type_def else { return vec!["<not an enum>".into()] };
	variants
		.variants
		.iter()
		.filter(|v| {
			v.docs.iter().all(|d| d.trim().is_empty()) || v.fields.iter().any(|f| f.name.is_none())
		})
		.map(|v| v.name.clone())
		.collect()
}

#[test]
fn every_call_event_error_and_storage_item_has_a_name_and_docs() {
	let metadata = metadata();
	let ours = ["Validators", "Meters", "Readings", "Credits", "Market", "ConsortiumRoot"];
	let mut missing = Vec::new();
	for pallet in &metadata.pallets {
		let ours = ours.contains(&pallet.name.as_str());
		if ours && pallet.docs.iter().all(|d| d.trim().is_empty()) {
			missing.push(format!("{}: pallet docs", pallet.name));
		}
		let kinds = [
			("call", pallet.calls.as_ref().map(|c| c.ty.id)),
			("event", pallet.event.as_ref().map(|e| e.ty.id)),
			("error", pallet.error.as_ref().map(|e| e.ty.id)),
		];
		for (kind, ty) in kinds {
			for name in ty.map(|ty| undocumented(&metadata, ty)).unwrap_or_default() {
				missing.push(format!("{}: {kind} {name}", pallet.name));
			}
		}
		for entry in pallet.storage.iter().flat_map(|s| &s.entries) {
			if entry.docs.iter().all(|d| d.trim().is_empty()) {
				missing.push(format!("{}: storage {}", pallet.name, entry.name));
			}
		}
		for constant in &pallet.constants {
			if ours && constant.docs.iter().all(|d| d.trim().is_empty()) {
				missing.push(format!("{}: constant {}", pallet.name, constant.name));
			}
		}
	}
	// Upstream items that polkadot-sdk leaves undocumented; anything else must have docs.
	let upstream = [
		"Balances: event Unexpected",
		"TransactionPayment: storage NextFeeMultiplier",
		"TransactionPayment: storage StorageVersion",
	];
	missing.retain(|m| !upstream.contains(&m.as_str()));
	assert!(missing.is_empty(), "undocumented in the metadata:\n{}", missing.join("\n"));
}

#[test]
fn the_energy_runtime_api_is_in_the_metadata_with_its_methods() {
	let metadata = metadata();
	let api = metadata.apis.iter().find(|a| a.name == "EnergyApi").expect("EnergyApi is listed");
	let methods: Vec<&str> = api.methods.iter().map(|m| m.name.as_str()).collect();
	assert_eq!(
		methods,
		["meter", "meter_id", "account", "order_book", "auction", "auction_orders"]
	);
	use sp_api::RuntimeApiInfo;
	type Energy = dyn peergrid_primitives::api::EnergyApi<
		peergrid_runtime::Block,
		peergrid_runtime::AccountId,
		peergrid_runtime::Balance,
	>;
	let version = peergrid_runtime::VERSION.api_version(&Energy::ID);
	assert_eq!(version, Some(3), "version 3 added the delivery auction");
	assert!(api.methods.iter().all(|m| !m.docs.is_empty()), "each method is documented");
}

#[test]
fn the_energy_api_answers_on_the_development_genesis() {
	new_test_ext(DEV_RUNTIME_PRESET).execute_with(|| {
		let meter = energy::meter(0).expect("the demo grid's first meter");
		assert_eq!(meter.external_id, b"DEMO-NORTH-BOB-PV".to_vec());
		assert_eq!(meter.owner, Sr25519Keyring::Bob.to_account_id());
		assert_eq!((meter.readings, meter.last_interval), (0, None));
		assert_eq!(energy::meter_id(b"DEMO-SOUTH-EVE".to_vec()), Some(3));
		assert_eq!(energy::meter_id(b"NO-SUCH-METER".to_vec()), None);
		assert_eq!(energy::meter_id(vec![b'x'; 65]), None, "longer than any external id");
		assert!(energy::meter(4).is_none());

		let bob = energy::account(Sr25519Keyring::Bob.to_account_id());
		assert_eq!((bob.meters, bob.free_wh, bob.open_orders), (vec![0], 0, vec![]));

		let book = energy::order_book(0).expect("zone 0 exists");
		assert!(book.bids.is_empty() && book.asks.is_empty());
		assert!(energy::order_book(2).is_none(), "the demo grid has two zones");

		// The clock is at 0: interval 5 is the first open, 96 the last; 4's gate has closed.
		let stage = |interval| energy::auction(0, interval).map(|a| a.stage);
		assert_eq!(stage(5), Some(AuctionStage::Open));
		assert_eq!(stage(96), Some(AuctionStage::Open));
		assert_eq!(stage(97), Some(AuctionStage::NotOpenYet));
		assert_eq!(stage(4), Some(AuctionStage::Closed));
		assert!(energy::auction(2, 5).is_none(), "no zone 2");
		let open = energy::auction(1, 5).expect("zone 1 exists");
		assert_eq!((open.opens_at, open.gate_closes_at, open.orders), (0, 900, 0));
		let bob = Sr25519Keyring::Bob.to_account_id();
		let none = energy::auction_orders(bob.clone(), 0, 0, 192).expect("zone 0 exists");
		assert!(none.orders.is_empty() && none.next.is_none());
		assert!(energy::auction_orders(bob, 2, 0, 1).is_none(), "no zone 2");
	});
}
