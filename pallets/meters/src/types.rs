//! The registry's records.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{pallet_prelude::ConstU32, BoundedVec};
use peergrid_primitives::{Baseline, MeterKind, MeterStatus, ZoneId};
use scale_info::TypeInfo;

pub use peergrid_primitives::{MAX_EXTERNAL_ID_LEN, MAX_ZONE_NAME_LEN};

/// A zone's name, UTF-8 by convention.
pub type ZoneName = BoundedVec<u8, ConstU32<MAX_ZONE_NAME_LEN>>;
/// The utility's own identifier of a meter (serial number, MPAN, EAN, ...).
pub type ExternalMeterId = BoundedVec<u8, ConstU32<MAX_EXTERNAL_ID_LEN>>;

/// A grid zone: a feeder or distribution area run by one utility.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Zone<AccountId> {
	/// Its name, for people.
	pub name: ZoneName,
	/// The utility that runs it: registers its meters and changes their status.
	pub operator: AccountId,
}

/// A registered smart meter.
#[derive(Clone, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Meter<AccountId> {
	/// The utility's identifier of the meter, unique on the chain.
	pub external_id: ExternalMeterId,
	/// Who receives its credits and is charged its consumption.
	pub owner: AccountId,
	/// The zone it is connected in.
	pub zone: ZoneId,
	/// What it measures.
	pub kind: MeterKind,
	/// The most power it carries, in W.
	pub capacity_w: u32,
	/// Whether its readings are accepted.
	pub status: MeterStatus,
	/// Its registers at a known interval, where its readings start; `None`: its first
	/// reading sets them.
	pub baseline: Option<Baseline>,
	/// When it was registered, in seconds since the Unix epoch.
	pub registered_at: u64,
	/// The account its owner has offered it to, until that account accepts.
	pub offered_to: Option<AccountId>,
}
