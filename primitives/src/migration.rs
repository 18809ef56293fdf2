//! How a multi-block migration moves or removes old storage in bounded steps: a step takes
//! what its weight meter pays for, and the next block's step goes on from a cursor.

use sp_weights::{RuntimeDbWeight, Weight, WeightMeter};

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

/// What a migration that removes maps in turn ([`drain_in_turn`]) costs at the database's
/// weights `db`: a record (the next key found, its value read, the record removed), and every
/// step besides its records (the storage version read, and written: charged to every step,
/// though only the last writes it).
pub fn removal_weights(db: RuntimeDbWeight) -> (Weight, Weight) {
	(db.reads_writes(2, 1), db.reads_writes(1, 1))
}

/// One map of a migration that removes maps in turn: drains what `meter` pays `per_item` for;
/// whether the map is empty ([`drain_metered`] of its `drain()`).
pub type Drain = fn(meter: &mut WeightMeter, per_item: Weight) -> bool;

/// Removes maps in turn, from `drains[phase]` on, while `meter` pays `per_item` an item (and an
/// emptied map's last look); the phase to go on from in the next step, or `None` once every map
/// is empty. A map found empty is not looked at again.
pub fn drain_in_turn(
	drains: &[Drain],
	phase: u8,
	meter: &mut WeightMeter,
	per_item: Weight,
) -> Option<u8> {
	let mut phase = phase;
	for drain in drains.iter().skip(usize::from(phase)) {
		if !drain(meter, per_item) {
			return Some(phase);
		}
		phase = phase.saturating_add(1);
	}
	None
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
	fn maps_are_drained_in_turn_and_an_empty_one_is_not_looked_at_again() {
		use core::cell::RefCell;
		std::thread_local! {
			static MAPS: RefCell<[Vec<u8>; 2]> = RefCell::new([vec![1, 2], vec![3]]);
		}
		fn take(map: usize, meter: &mut WeightMeter, per_item: Weight) -> bool {
			MAPS.with(|maps| {
				let mut maps = maps.borrow_mut();
				let mut items = core::iter::from_fn(|| maps[map].pop());
				drain_metered(&mut items, meter, per_item, drop)
			})
		}
		let drains: [Drain; 2] = [|m, w| take(0, m, w), |m, w| take(1, m, w)];
		let per_item = Weight::from_parts(10, 0);
		// One item's weight a step: the first map's two items, its last look, then the second's.
		let mut phases = Vec::new();
		let mut phase = Some(0);
		while let Some(from) = phase {
			let mut meter = WeightMeter::with_limit(per_item);
			phase = drain_in_turn(&drains, from, &mut meter, per_item);
			phases.push(phase);
		}
		assert_eq!(phases, vec![Some(0), Some(0), Some(1), Some(1), None]);
		MAPS.with(|maps| assert!(maps.borrow().iter().all(Vec::is_empty)));
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
