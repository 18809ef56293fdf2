//! Signed orders relayed in batches: a trader signs an order once
//! ([`peergrid_primitives::auction::order_signing_payload`]), and any relayer submits many in
//! one transaction, fee-less (authorized by this pallet) or signed and paying.

use crate::{pallet::*, types::*, weights::WeightInfo};
use alloc::collections::{BTreeMap, BTreeSet};
use codec::Encode;
use frame_support::{
	ensure,
	pallet_prelude::*,
	traits::{
		fungible::Inspect,
		tokens::{Fortitude, Preservation},
	},
};
use frame_system::pallet_prelude::*;
use peergrid_primitives::auction::{order_signing_payload, AUCTION_POOL_ERROR_BASE};
use sp_runtime::{
	traits::{Verify, Zero},
	DispatchResult, Saturating,
};

/// How signed order batches rank in the transaction pool against other transactions.
pub const ORDER_PRIORITY: TransactionPriority = 1 << 19;
/// How many blocks a signed order batch may wait in the pool before it is dropped.
pub const ORDER_LONGEVITY: TransactionLongevity = 64;

impl<T: Config> Pallet<T> {
	/// The hash of this chain's genesis block: a signed order names it, so that it is valid
	/// on this chain only.
	pub fn genesis_hash() -> T::Hash {
		frame_system::Pallet::<T>::block_hash(BlockNumberFor::<T>::zero())
	}

	/// Whether `signed` is signed by its trader for this chain.
	pub(crate) fn verify_order(signed: &SignedOrderOf<T>) -> Result<(), Error<T>> {
		let payload = order_signing_payload(
			&Self::genesis_hash(),
			&signed.trader,
			signed.nonce,
			&signed.terms,
		);
		ensure!(signed.signature.verify(&payload[..], &signed.trader), Error::<T>::BadSignature);
		Ok(())
	}

	/// A relayer: a general transaction authorized by this pallet, or any signed account.
	pub(crate) fn ensure_relayer(origin: OriginFor<T>) -> DispatchResult {
		if frame_system::ensure_authorized(origin.clone()).is_ok() {
			return Ok(());
		}
		ensure_signed(origin)?;
		Ok(())
	}

	/// The weight declared for a batch of `n` signed orders: the benchmark's (every order of
	/// its own trader and meter, all in one product), and for every order but the first a
	/// product of its own, whose auction, curve and schedule entry it reads and writes.
	pub fn declared_batch_weight(n: u32) -> Weight {
		let products = T::DbWeight::get().reads_writes(3, 3);
		T::WeightInfo::submit_orders(n)
			.saturating_add(products.saturating_mul(n.saturating_sub(1).into()))
	}

	/// The weight of a batch of `n` signed orders that named `products` products, `traders`
	/// traders and `meters` meters (each at least one): the declared weight, less the reads and
	/// writes of the products, traders' accounts and holds, and meters that an earlier order of
	/// the batch had already read and written (the block's overlay has them).
	pub fn batch_weight(n: u32, products: u32, traders: u32, meters: u32) -> Weight {
		let db = T::DbWeight::get();
		let repeats = |distinct: u32| u64::from(n.saturating_sub(distinct.max(1)));
		Self::declared_batch_weight(n)
			.saturating_sub(db.reads_writes(3, 3).saturating_mul(repeats(products)))
			.saturating_sub(db.reads_writes(2, 2).saturating_mul(repeats(traders)))
			.saturating_sub(db.reads(1).saturating_mul(repeats(meters)))
	}

	/// Places each order of a relayed batch, or reports why not in an `OrderRejected` event;
	/// returns the batch's weight ([`Self::batch_weight`]).
	pub(crate) fn place_signed(orders: &[SignedOrderOf<T>]) -> Weight {
		let mut products = BTreeSet::new();
		let mut traders = BTreeSet::new();
		let mut meters = BTreeSet::new();
		for signed in orders {
			products.insert((signed.terms.product, signed.terms.side));
			traders.insert(&signed.trader);
			meters.insert(signed.terms.meter);
			let result = Self::verify_order(signed)
				.map_err(DispatchError::from)
				.and_then(|()| Self::do_place_order(&signed.trader, signed.nonce, &signed.terms));
			if let Err(error) = result {
				Self::deposit_event(Event::OrderRejected {
					trader: signed.trader.clone(),
					nonce: signed.nonce,
					error,
				});
			}
		}
		let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
		let n = count(orders.len());
		Self::batch_weight(n, count(products.len()), count(traders.len()), count(meters.len()))
	}

	/// Pool validation of a batch of signed orders (`submit_orders`): valid only as a whole,
	/// and never empty. Every order must be signed by its trader for this chain and pass the
	/// block's checks (the meter, the quantity, the price, the window); its nonce must be
	/// unused, on the chain and in the batch; each trader must be able to hold what its
	/// orders of the batch hold; and each product must have room for the batch's orders. The first that does not refuses the batch with its reason.
	/// Each order provides the tag `(trader, product, side, nonce)`: the pool keeps one copy of
	/// an order, whichever batch carries it. In a block, the call's own checks are the only
	/// ones, and the pool's weight is refunded.
	pub(crate) fn authorize_orders(
		source: TransactionSource,
		orders: &SignedOrdersOf<T>,
	) -> TransactionValidityWithRefund {
		if source == TransactionSource::InBlock {
			let check = T::WeightInfo::authorize_orders;
			let refund = check(orders.len() as u32).saturating_sub(check(0));
			return Ok((ValidTransaction::default(), refund));
		}
		ensure!(!orders.is_empty(), Self::pool_error(Error::<T>::EmptyBatch));
		let mut validity = ValidTransaction::with_tag_prefix("PeerGridAuctionOrder")
			.priority(ORDER_PRIORITY)
			.longevity(ORDER_LONGEVITY)
			.propagate(true);
		let mut keys = BTreeSet::new();
		let mut per_product: BTreeMap<Product, u32> = BTreeMap::new();
		let mut holds: BTreeMap<&T::AccountId, BalanceOf<T>> = BTreeMap::new();
		for signed in orders {
			Self::verify_order(signed).map_err(Self::pool_error)?;
			Self::check(&signed.trader, signed.nonce, &signed.terms).map_err(Self::pool_error)?;
			let OrderTerms { side, product, quantity, price, .. } = signed.terms;
			let key = (signed.trader.clone(), signed.nonce);
			ensure!(
				!Orders::<T>::contains_key((product, side), &key)
					&& keys.insert((product, side, key.clone())),
				Self::pool_error(Error::<T>::NonceUsed)
			);
			let hold = Self::hold_for(side, quantity, price).map_err(Self::pool_error)?;
			let total = holds.entry(&signed.trader).or_insert_with(Zero::zero);
			*total = total.saturating_add(hold);
			validity = validity.and_provides((key, product, side));
			let count = per_product.entry(product).or_insert(0);
			*count = count.saturating_add(1);
		}
		// Each product must have room for the batch's orders: a batch that the block would
		// reject whole is not taken for free.
		for (product, count) in per_product {
			let placed = Auctions::<T>::get(product.interval, product.zone).map_or(0, |a| a.orders);
			ensure!(
				placed.saturating_add(count) <= T::MaxOrdersPerProduct::get(),
				Self::pool_error(Error::<T>::TooManyOrders)
			);
		}
		for (trader, total) in holds {
			let free =
				T::Currency::reducible_balance(trader, Preservation::Preserve, Fortitude::Polite);
			ensure!(free >= total, Self::pool_error(Error::<T>::CannotHold));
		}
		Ok((validity.build()?, Weight::zero()))
	}

	/// How the pool reports a refused batch: a bad signature as `BadProof`, a used nonce as
	/// `Stale`, and any other reason as `Custom(100 + n)`, `n` being the index of the error in
	/// this pallet's `Error` enum (`AUCTION_POOL_ERROR_BASE`: apart from the readings pallet's
	/// `Custom(n)`).
	fn pool_error(error: Error<T>) -> TransactionValidityError {
		match error {
			Error::<T>::BadSignature => InvalidTransaction::BadProof,
			Error::<T>::NonceUsed => InvalidTransaction::Stale,
			other => {
				let index = other.encode().first().copied().unwrap_or(u8::MAX);
				InvalidTransaction::Custom(AUCTION_POOL_ERROR_BASE.saturating_add(index))
			}
		}
		.into()
	}
}
