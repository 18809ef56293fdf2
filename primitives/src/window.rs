//! What consensus state keeps of history: the most recent settlement intervals only, in a
//! window of fixed size, and how a migration moves old history out in bounded steps.
//!
//! A per-interval record (a zone's metering or trading totals) is kept in slot
//! `interval % window` of its zone, tagged with its interval: a later interval that maps to the
//! same slot takes it over. So a zone keeps at most `window` records, whatever the age of the
//! chain; older history is in the events of its blocks (and an indexer of them).

use crate::IntervalIndex;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_weights::{Weight, WeightMeter};

/// A record of one settlement interval, in a window of the most recent ones.
#[derive(Clone, Copy, Default, PartialEq, Eq, Debug)]
#[derive(Encode, Decode, DecodeWithMemTracking, MaxEncodedLen, TypeInfo)]
pub struct Windowed<V> {
	/// The interval the record is of.
	pub interval: IntervalIndex,
	/// The record.
	pub value: V,
}

impl<V: Default> Windowed<V> {
	/// The slot of `interval` in a window of `window` intervals (at least 1).
	pub fn slot(interval: IntervalIndex, window: u32) -> u32 {
		// The remainder is below `window`, a `u32`.
		(interval % u64::from(window.max(1))) as u32
	}

	/// `interval`'s record, if `slot` (the interval's slot) holds it.
	pub fn value_at(slot: Option<Self>, interval: IntervalIndex) -> Option<V> {
		slot.filter(|s| s.interval == interval).map(|s| s.value)
	}

	/// `interval`'s record in `slot` (the interval's slot), to add to: the one it holds, or a
	/// new one if it holds an older interval (which leaves the window). `None` if it holds a
	/// later interval: `interval` is older than the window, and not kept.
	pub fn entry(slot: &mut Option<Self>, interval: IntervalIndex) -> Option<&mut V> {
		match slot.as_ref().map(|held| held.interval) {
			Some(held) if held > interval => None,
			Some(held) if held == interval => slot.as_mut().map(|held| &mut held.value),
			_ => Some(&mut slot.insert(Windowed { interval, value: V::default() }).value),
		}
	}

	/// Whether `interval` is in the window of `window` intervals that ends with `latest`.
	pub fn in_window(interval: IntervalIndex, latest: IntervalIndex, window: u32) -> bool {
		interval <= latest && latest - interval < u64::from(window)
	}

	/// The slot that keeps `interval` in the window of `window` intervals that ends with
	/// `latest`, if the window keeps it.
	pub fn kept_slot(interval: IntervalIndex, latest: IntervalIndex, window: u32) -> Option<u32> {
		Self::in_window(interval, latest, window).then(|| Self::slot(interval, window))
	}
}

/// Hands items of `items` (typically a storage map's `drain()`, which removes each item it
/// yields) to `f`, one by one, while `meter` can pay `per_item` for the next; whether `items` is
/// exhausted. An item is only taken once it is paid for, so none is lost when the meter runs
/// out: a multi-block migration calls this once per step until it returns `true`.
pub fn drain_metered<I: Iterator>(
	items: &mut I,
	meter: &mut WeightMeter,
	per_item: Weight,
	mut f: impl FnMut(I::Item),
) -> bool {
	loop {
		if meter.try_consume(per_item).is_err() {
			return false;
		}
		match items.next() {
			Some(item) => f(item),
			None => return true,
		}
	}
}

/// A raw storage key that a multi-block migration goes on after: a map's prefix (32 bytes), a
/// key hash (up to 16) and the key (an account id, say).
pub type RawKey = sp_runtime::BoundedVec<u8, sp_runtime::traits::ConstU32<128>>;

/// A raw storage key longer than a [`RawKey`] holds: it cannot be a migration's cursor.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct CursorTooLong;

/// Hands the keys of `keys` (a map's keys after the cursor `after`) to `f` one by one while
/// `meter` can pay `per_item`, as [`drain_metered`] does; where the next step goes on from:
/// `None` once every key is handled, else the raw key (`raw`) of the last one handled, or
/// `after` if none was.
pub fn keys_metered<K>(
	keys: &mut impl Iterator<Item = K>,
	after: Option<RawKey>,
	meter: &mut WeightMeter,
	per_item: Weight,
	raw: impl Fn(&K) -> alloc::vec::Vec<u8>,
	mut f: impl FnMut(K),
) -> Result<Option<Option<RawKey>>, CursorTooLong> {
	let mut last = None;
	let done = drain_metered(keys, meter, per_item, |key| {
		last = Some(raw(&key));
		f(key);
	});
	match (done, last) {
		(true, _) => Ok(None),
		(false, None) => Ok(Some(after)),
		(false, Some(last)) => {
			RawKey::try_from(last).map(|last| Some(Some(last))).map_err(|_| CursorTooLong)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_slot_keeps_its_latest_interval_and_refuses_older_ones() {
		let window = 4;
		let mut slot: Option<Windowed<u32>> = None;
		assert_eq!(Windowed::<u32>::slot(9, window), 1);
		*Windowed::entry(&mut slot, 9).expect("an empty slot takes any interval") += 5;
		*Windowed::entry(&mut slot, 9).expect("the same interval") += 2;
		assert_eq!(Windowed::value_at(slot, 9), Some(7));
		assert_eq!(Windowed::value_at(slot, 5), None, "another interval of the same slot");
		assert!(Windowed::entry(&mut slot, 5).is_none(), "older than the window: not kept");
		*Windowed::entry(&mut slot, 13).expect("a later interval takes the slot over") += 1;
		assert_eq!((Windowed::value_at(slot, 13), Windowed::value_at(slot, 9)), (Some(1), None));
		assert!(Windowed::<u32>::in_window(10, 13, window));
		assert!(!Windowed::<u32>::in_window(9, 13, window));
		assert!(!Windowed::<u32>::in_window(14, 13, window));
	}

	#[test]
	fn draining_takes_an_item_only_once_it_is_paid_for() {
		let mut items = vec![1, 2, 3].into_iter();
		let mut taken = Vec::new();
		let per_item = Weight::from_parts(10, 0);
		let mut meter = WeightMeter::with_limit(Weight::from_parts(25, 0));
		assert!(!drain_metered(&mut items, &mut meter, per_item, |i| taken.push(i)));
		assert_eq!(taken, [1, 2]);
		let mut meter = WeightMeter::with_limit(Weight::from_parts(100, 0));
		assert!(drain_metered(&mut items, &mut meter, per_item, |i| taken.push(i)));
		assert_eq!(taken, [1, 2, 3]);
	}
}
