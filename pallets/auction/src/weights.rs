//! Weights of the auction's calls and of the steps of its hooks.
//!
//! Estimated, not yet measured: each one's storage reads and writes at the runtime's database
//! weights, plus [`peergrid_primitives::WEIGHT_PER_ITEM`] for each item touched, as the
//! validator set's are. The auction is not in the runtime yet; its benchmarks replace these
//! figures before it is (issue 18, `docs/auction.md`).

use core::marker::PhantomData;
use frame_support::{traits::Get, weights::Weight};
use peergrid_primitives::estimated_weight;

/// An order's signature verified.
const SIGNATURE: Weight = Weight::from_parts(50_000_000, 0);

/// Weight functions needed by `pallet_auction`.
pub trait WeightInfo {
	fn place_order() -> Weight;
	fn cancel_order() -> Weight;
	fn submit_orders(n: u32) -> Weight;
	fn authorize_orders(n: u32) -> Weight;
	fn deliver() -> Weight;
	fn deliver_miss() -> Weight;
	fn work_idle() -> Weight;
	fn enqueue(n: u32) -> Weight;
	fn clear(n: u32) -> Weight;
	fn settle(n: u32) -> Weight;
}

/// The weights for a runtime, at its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Reads the meter, the order's key, the auction, the schedule, the curve, the trader's
	/// account and holds; writes all but the meter.
	fn place_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 7, 6)
	}
	/// Reads and writes the order, the curve, the trader's account and holds.
	fn cancel_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 4, 4)
	}
	/// Each order placed, and its signature verified.
	fn submit_orders(n: u32) -> Weight {
		Self::place_order().saturating_add(SIGNATURE).saturating_mul(n.into())
	}
	/// Each order's signature, meter, nonce and trader's account read.
	fn authorize_orders(n: u32) -> Weight {
		estimated_weight(T::DbWeight::get(), 3, 0)
			.saturating_add(SIGNATURE)
			.saturating_mul(n.into())
	}
	/// Reads and writes the meter's delivery, the auction and `Due`.
	fn deliver() -> Weight {
		estimated_weight(T::DbWeight::get(), 3, 3)
	}
	/// Reads the meter's delivery, which is not there.
	fn deliver_miss() -> Weight {
		estimated_weight(T::DbWeight::get(), 1, 0)
	}
	/// Reads `Due`, `Progress` and the schedule; writes the first two.
	fn work_idle() -> Weight {
		estimated_weight(T::DbWeight::get(), 3, 2)
	}
	/// Reads each product of an interval whose gate closed.
	fn enqueue(n: u32) -> Weight {
		estimated_weight(T::DbWeight::get(), n.into(), 0)
	}
	/// Reads and writes the auction, takes its two curves, removes it at its end and updates
	/// the schedule; each order: reads and writes it, its trader's account and holds, and the
	/// seller meter's delivery.
	fn clear(n: u32) -> Weight {
		estimated_weight(T::DbWeight::get(), 6, 5)
			.saturating_add(estimated_weight(T::DbWeight::get(), 4, 4).saturating_mul(n.into()))
	}
	/// As `clear`'s base; each order: reads and writes it, the meter's delivery, the trader's
	/// account and holds, the auction's account, the credits' account and issuance, and the
	/// operator's account.
	fn settle(n: u32) -> Weight {
		estimated_weight(T::DbWeight::get(), 6, 5)
			.saturating_add(estimated_weight(T::DbWeight::get(), 8, 8).saturating_mul(n.into()))
	}
}
