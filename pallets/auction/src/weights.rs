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
	fn work_base() -> Weight;
	fn enqueue_product() -> Weight;
	fn advance_base() -> Weight;
	fn clear_order() -> Weight;
	fn settle_order() -> Weight;
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
	/// Each order placed, and its signature verified: 50 µs (an sr25519 verification is
	/// about 44 µs here: docs/benchmarks.md).
	fn submit_orders(n: u32) -> Weight {
		Self::place_order().saturating_add(SIGNATURE).saturating_mul(n.into())
	}
	/// Each order's signature, meter, nonce and trader's account read.
	fn authorize_orders(n: u32) -> Weight {
		estimated_weight(T::DbWeight::get(), 3, 0)
			.saturating_add(SIGNATURE)
			.saturating_mul(n.into())
	}
	/// Reads `Due`, `Progress` and the schedule; writes the first two.
	fn work_base() -> Weight {
		estimated_weight(T::DbWeight::get(), 3, 2)
	}
	/// Reads a product of an interval whose gate closed or whose deadline passed.
	fn enqueue_product() -> Weight {
		estimated_weight(T::DbWeight::get(), 1, 0)
	}
	/// Reads and writes the auction, takes its two curves, and at its end removes it and
	/// updates the schedule.
	fn advance_base() -> Weight {
		estimated_weight(T::DbWeight::get(), 6, 5)
	}
	/// Reads and writes the order, the trader's account and holds, and the seller meter's
	/// delivery.
	fn clear_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 4, 4)
	}
	/// Reads and writes the order, the meter's delivery, the trader's account and holds, the
	/// auction's account, the credits' account and issuance, and the operator's account.
	fn settle_order() -> Weight {
		estimated_weight(T::DbWeight::get(), 8, 8)
	}
}
