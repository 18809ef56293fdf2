//! The README's worked signing example, and the storage migration.

use super::*;

/// The key of the README's worked examples (its ed25519 secret seed is in the README) and the
/// genesis hash of their chain, 0x1111...11.
fn readme_key_and_chain() -> (sp_core::ed25519::Pair, H256) {
	let seed = <[u8; 32]>::try_from(
		sp_core::bytes::from_hex(
			"0x9d61b19deffd5a60ba844af492ec2cc44449c5697b376919703bac031cae7f60",
		)
		.expect("hex"),
	)
	.expect("32 bytes");
	(sp_core::Pair::from_seed(&seed), H256::repeat_byte(0x11))
}

/// The worked example of the README: an ed25519 key signs a reading for a chain whose genesis
/// hash is 0x1111...11. ed25519 signatures are deterministic, so any implementation must
/// produce exactly these bytes (the README shows Python's `cryptography` doing so).
#[test]
fn signing_payload_and_signature_match_the_worked_example_in_the_readme() {
	use sp_core::Pair;
	use sp_runtime::traits::Verify;

	let (key, genesis) = readme_key_and_chain();
	let reading = Reading { meter: 7, interval: 1_963_584, imported_wh: 1_200, exported_wh: 3_400 };
	let payload = signing_payload(&genesis, &reading);
	let signature = key.sign(&payload);
	let hex = |b: &[u8]| sp_core::bytes::to_hex(b, false);
	assert_eq!(hex(&key.public().0), README_PUBLIC);
	assert_eq!(payload.len(), 83);
	assert_eq!(hex(&payload), README_PAYLOAD);
	assert_eq!(hex(&signature.0), README_SIGNATURE);
	let account = sp_runtime::AccountId32::from(key.public().0);
	assert!(sp_runtime::MultiSignature::from(signature).verify(&payload[..], &account));
}

/// The README's worked example of a batch signed as a whole: the same key signs meter 7's
/// reading and meter 8's (0 Wh imported, 250 Wh exported) of the same interval as one batch.
#[test]
fn batch_signing_payload_and_signature_match_the_worked_example_in_the_readme() {
	use sp_core::Pair;
	use sp_runtime::traits::Verify;

	let (key, genesis) = readme_key_and_chain();
	let readings = [
		Reading { meter: 7, interval: 1_963_584, imported_wh: 1_200, exported_wh: 3_400 },
		Reading { meter: 8, interval: 1_963_584, imported_wh: 0, exported_wh: 250 },
	];
	let payload = crate::batch_signing_payload(&genesis, &readings);
	let hex = |b: &[u8]| sp_core::bytes::to_hex(b, false);
	assert_eq!(payload.len(), 25 + 32 + 1 + 2 * 32);
	assert_eq!(hex(&payload), README_BATCH_PAYLOAD);
	let signature = key.sign(&payload);
	assert_eq!(hex(&signature.0), README_BATCH_SIGNATURE);
	let account = sp_runtime::AccountId32::from(key.public().0);
	assert!(sp_runtime::MultiSignature::from(signature).verify(&payload[..], &account));
	// The readings' part of the payload is the call's `readings` argument, byte for byte.
	let bounded: BoundedVec<Reading, frame_support::traits::ConstU32<256>> =
		readings.to_vec().try_into().expect("two readings");
	assert!(payload.ends_with(&codec::Encode::encode(&bounded)));
}

const README_BATCH_PAYLOAD: &str = "0x70656572677269642f72656164696e672d62617463682f7631\
	1111111111111111111111111111111111111111111111111111111111111111\
	08\
	070000000000000040f61d0000000000b004000000000000480d000000000000\
	080000000000000040f61d00000000000000000000000000fa00000000000000";
const README_BATCH_SIGNATURE: &str =
	"0x04a7497922f69918333049715a88cb510ca3cc4587a171370d6d5f06318f1f2c\
	a684773ebf89e20619668fd76da624e0fc0a20cfb3903fe5731e636597a23e0a";

const README_PUBLIC: &str = "0xcdee49a8a2318fe8ce5e630c2049e9543e623300e1bec77b088ecc8715c111dc";
const README_PAYLOAD: &str = "0x70656572677269642f72656164696e672f7631\
	1111111111111111111111111111111111111111111111111111111111111111\
	0700000000000000\
	40f61d0000000000\
	b004000000000000\
	480d000000000000";
const README_SIGNATURE: &str = "0x5cb422ac68ce1e64c92fdb2112c27f816f8e92b22d1ee84cb761376eb61dd003\
	b8868f2123ae40cb23b0ee185621c0f908dc3975c31d0715dac85735fe13790e";

#[test]
fn migration_to_v2_removes_every_zone_total_of_versions_0_and_1_over_several_blocks() {
	use crate::migrations::v2::NoZoneTotals;
	use codec::Encode;
	use frame_support::weights::constants::ParityDbWeight;
	use frame_support::{
		migrations::SteppedMigration,
		storage::unhashed,
		traits::{GetStorageVersion, StorageVersion},
		weights::{Weight, WeightMeter},
	};
	use peergrid_primitives::migration::removal_weights;
	new_test_ext().execute_with(|| {
		assert_ok!(Readings::submit_reading(
			relayer(),
			sign(&oracle(), PROSUMER, FIRST + 2, 1_400, 3_500)
		));
		let meter_state = MeterStates::<Test>::get(PROSUMER);
		assert!(meter_state.is_some());
		StorageVersion::new(1).put::<Readings>();
		// Old records as versions 0 and 1 wrote them (a count and two totals; a slot also
		// tagged with its interval), at keys laid out as their declarations did, built apart
		// from the migration's aliases: the pallet's and the map's names, then each key
		// `Twox64Concat`.
		let key = |map: &str, zone: u32, second: &[u8]| {
			let concat = |k: &[u8]| [sp_io::hashing::twox_64(k).as_slice(), k].concat();
			let names =
				[sp_io::hashing::twox_128(b"Readings"), sp_io::hashing::twox_128(map.as_bytes())];
			[names.concat(), concat(&zone.encode()), concat(second)].concat()
		};
		let v0 = (2u32, 10u64, 5u64).encode();
		let v1 = (FIRST + 9, 2u32, 10u64, 5u64).encode();
		for (zone, interval) in [(0, FIRST + 9), (0, FIRST - 9), (1, FIRST - 5)] {
			unhashed::put_raw(&key("ZoneIntervals", zone, &interval.encode()), &v0);
		}
		for (zone, slot) in [(0, 9u32), (1, 3)] {
			unhashed::put_raw(&key("RecentIntervals", zone, &slot.encode()), &v1);
		}
		assert_eq!(NoZoneTotals::<Test>::left(), 5, "the aliases find the old records");

		let mut steps = 0;
		let mut cursor = None;
		loop {
			let (per_record, per_step) = removal_weights(ParityDbWeight::get());
			let one_record = per_record.saturating_add(per_step);
			let mut meter = WeightMeter::with_limit(one_record);
			cursor = NoZoneTotals::<Test>::step(cursor, &mut meter).expect("a step");
			steps += 1;
			if cursor.is_none() {
				break;
			}
		}
		// One record a step, and one look at each emptied map.
		assert_eq!(steps, 7);
		assert_eq!(NoZoneTotals::<Test>::left(), 0);
		assert_eq!(Readings::on_chain_storage_version(), 2);
		assert_eq!(MeterStates::<Test>::get(PROSUMER), meter_state, "the meters' states are kept");
		// Too little weight for one record: refused, nothing done.
		StorageVersion::new(1).put::<Readings>();
		assert!(
			NoZoneTotals::<Test>::step(None, &mut WeightMeter::with_limit(Weight::zero())).is_err()
		);
		// Done: a second run changes nothing.
		StorageVersion::new(2).put::<Readings>();
		assert_eq!(NoZoneTotals::<Test>::step(None, &mut WeightMeter::new()), Ok(None));
	});
}
