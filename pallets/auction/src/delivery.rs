//! Delivery: a seller's reading of the interval counts its export, up to its meter's
//! allocation, as delivered to the buyers.

use crate::{pallet::*, types::*, weights::WeightInfo};
use frame_support::weights::Weight;
use peergrid_primitives::{DeliveryLedger, IntervalIndex, MeterId, Wh};

impl<T: Config> DeliveryLedger for Pallet<T> {
	/// Counts `exported` Wh of `meter` in `interval` against its allocation, if it has one
	/// (`None` if not) and its product is waiting for readings (zero if not); returns what was
	/// counted, which the readings
	/// pallet does not mint to the meter's owner (the buyers receive it at settlement). When
	/// the last allocated meter's reading is in, the product is due to settle.
	fn deliver(meter: MeterId, interval: IntervalIndex, exported: Wh) -> Option<Wh> {
		let mut delivery = Deliveries::<T>::get(interval, meter)?;
		let product = Product { zone: delivery.zone, interval };
		let Some(mut auction) = Auctions::<T>::get(interval, delivery.zone) else {
			frame_support::defensive!("an expected delivery has its auction");
			return Some(0);
		};
		// A reading after the deadline's settlement began, or a second reading of the
		// interval (which the readings pallet refuses anyway), delivers nothing.
		if auction.stage != Stage::Delivering || delivery.delivered.is_some() {
			return Some(0);
		}
		let delivered = exported.min(delivery.allocated);
		delivery.delivered = Some(delivered);
		Deliveries::<T>::insert(interval, meter, delivery);
		auction.delivered = auction.delivered.saturating_add(delivered);
		auction.pending = auction.pending.saturating_sub(1);
		if auction.pending == 0 {
			// If `Due` is full, the deadline settles it.
			Self::make_due(product);
		}
		Auctions::<T>::insert(interval, delivery.zone, auction);
		Self::deposit_event(Event::Delivered {
			product,
			meter,
			allocated: delivery.allocated,
			delivered,
		});
		Some(delivered)
	}
	fn deliver_weight() -> Weight {
		T::WeightInfo::deliver()
	}

	fn miss_weight() -> Weight {
		T::WeightInfo::deliver_miss()
	}
}
