#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
pub mod benchmarking;
pub mod clearing;
mod delivery;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
pub mod migrations;
mod orders;
mod queries;
mod relay;
mod settlement;
mod standing;
pub mod types;
pub mod weights;
mod work;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod property;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_queries;
#[cfg(test)]
mod tests_relay;
#[cfg(test)]
mod tests_standing;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;
pub use work::Step;

const LOG_TARGET: &str = "runtime::auction";

/// The delivery auction: each zone's delivery intervals auctioned ahead of time, cleared at
/// one price at gate closure, and settled against the sellers' readings of the interval.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{
			fungible::{self, Inspect},
			UnixTime,
		},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use peergrid_primitives::{IntervalIndex, MeterId, MeterRegistry, Wh, ZoneId};
	use sp_runtime::traits::{IdentifyAccount, Verify};

	/// An amount of the native currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// A product's auction in this runtime.
	pub type AuctionOf<T> = AuctionState<<T as frame_system::Config>::AccountId, BalanceOf<T>>;
	/// An order signed by its trader for a relayer, in this runtime.
	pub type SignedOrderOf<T> =
		SignedOrder<<T as frame_system::Config>::AccountId, BalanceOf<T>, <T as Config>::Signature>;
	/// A batch of signed orders in this runtime.
	pub type SignedOrdersOf<T> = BoundedVec<SignedOrderOf<T>, <T as Config>::MaxBatchSize>;
	/// A side's aggregate curve in this runtime: energy per limit price, by ascending price.
	pub type CurveOf<T> = BoundedVec<(BalanceOf<T>, Wh), <T as Config>::MaxPriceLevels>;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Why the auction holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A bid's escrow: its quantity at its limit price until clearing, then its allocation
		/// at the clearing price until settlement.
		AuctionBid,
		/// An offer's collateral against non-delivery, at `CollateralPrice`.
		AuctionCollateral,
		/// A standing order's deposit (`StandingDeposit`), until it is cancelled.
		AuctionStanding,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime's hold reasons, of which the auction's are part.
		type RuntimeHoldReason: From<HoldReason>;
		/// The native currency: bids pay with it, offers' collateral is held in it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The energy credits (1 credit = 1 Wh) minted to buyers for delivered energy.
		type Credits: fungible::Mutate<Self::AccountId, Balance = Wh>;
		/// Zones, their operators, and meters.
		type Meters: MeterRegistry<Self::AccountId>;
		/// A trader's signature of an order (sr25519, ed25519 or ecdsa).
		type Signature: Verify<Signer = Self::Signer> + Parameter;
		/// The key behind a trader's signature; its account is the trader.
		type Signer: IdentifyAccount<AccountId = Self::AccountId>;
		/// The most signed orders one batch may carry.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;
		/// The time, which says which interval is now.
		type UnixTime: UnixTime;
		/// The length of a delivery interval, in seconds (the readings' interval).
		#[pallet::constant]
		type IntervalSeconds: Get<u64>;
		/// How many intervals ahead of its start an interval's auction opens.
		#[pallet::constant]
		type OrderWindow: Get<IntervalIndex>;
		/// How many intervals ahead of its start an interval's auction closes and clears.
		#[pallet::constant]
		type GateClosure: Get<IntervalIndex>;
		/// How many intervals after its end an interval settles at the latest, readings in or
		/// not.
		#[pallet::constant]
		type DeliveryDeadline: Get<IntervalIndex>;
		/// What every order holds besides its escrow or collateral until its product clears,
		/// cancelled or not: an order's place in a product costs something, so filling a
		/// product's orders or curves costs a spammer real money.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;
		/// The collateral an offer holds per kWh offered, against non-delivery.
		#[pallet::constant]
		type CollateralPrice: Get<BalanceOf<Self>>;
		/// What a seller pays per kWh it was allocated and did not deliver, from its
		/// collateral, to the zone operator who supplied it: at most `CollateralPrice`.
		#[pallet::constant]
		type PenaltyPrice: Get<BalanceOf<Self>>;
		/// The most limit prices one side of one product can have.
		#[pallet::constant]
		type MaxPriceLevels: Get<u32>;
		/// The most orders one product can have.
		#[pallet::constant]
		type MaxOrdersPerProduct: Get<u32>;
		/// The most intervals with products not settled: at least `OrderWindow +
		/// DeliveryDeadline + 1`.
		#[pallet::constant]
		type MaxOpenIntervals: Get<u32>;
		/// The most products waiting for clearing or settlement at once.
		#[pallet::constant]
		type MaxDue: Get<u32>;
		/// The most standing orders one zone can have: each enters every auction of the zone
		/// at its gate closure, a step of the hooks each.
		#[pallet::constant]
		type MaxStandingPerZone: Get<u32>;
		/// The most zones that can have standing orders.
		#[pallet::constant]
		type MaxStandingZones: Get<u32>;
		/// What a standing order holds until it is cancelled: it takes one of its zone's
		/// `MaxStandingPerZone` places, and a step of every one of the zone's auctions.
		#[pallet::constant]
		type StandingDeposit: Get<BalanceOf<Self>>;
		/// The id of the auction's own account, through which buyers pay sellers.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Weights of the calls and of the steps of clearing and settlement.
		type WeightInfo: WeightInfo;
		/// Traders' keys and the clock for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: benchmarking::BenchmarkHelper<Self::AccountId, Self::Signature>;
	}

	/// The orders of each product and side, by (trader, nonce): the key is the replay check of
	/// a signed order.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		(Product, Side),
		Blake2_128Concat,
		(T::AccountId, u64),
		PlacedOrder<BalanceOf<T>>,
	>;

	/// Each product's aggregate curves: the energy of its open orders per limit price.
	#[pallet::storage]
	pub type Curves<T: Config> =
		StorageDoubleMap<_, Twox64Concat, Product, Twox64Concat, Side, CurveOf<T>, ValueQuery>;

	/// The products with orders, by interval and zone, until they settle.
	#[pallet::storage]
	pub type Auctions<T: Config> =
		StorageDoubleMap<_, Twox64Concat, IntervalIndex, Twox64Concat, ZoneId, AuctionOf<T>>;

	/// The intervals that have products, ascending.
	#[pallet::storage]
	pub type Schedule<T: Config> =
		StorageValue<_, BoundedVec<IntervalIndex, T::MaxOpenIntervals>, ValueQuery>;

	/// The products with clearing or settlement to do, first come first served.
	#[pallet::storage]
	pub type Due<T: Config> = StorageValue<_, BoundedVec<Product, T::MaxDue>, ValueQuery>;

	/// How far the hooks have got: the last interval whose gate closure and whose delivery
	/// deadline have put its products in `Due`.
	#[pallet::storage]
	pub type Progress<T: Config> = StorageValue<_, (IntervalIndex, IntervalIndex), ValueQuery>;

	/// The last interval whose gate closure has put the products of every zone with standing
	/// orders in `Due`: each such product is queued once, never again after it is done, and no
	/// product is queued at its gate closure before its standing orders' are.
	#[pallet::storage]
	pub type StandingProgress<T: Config> = StorageValue<_, IntervalIndex, ValueQuery>;

	/// The sellers' meters allocated energy, by interval: what they must deliver.
	#[pallet::storage]
	pub type Deliveries<T: Config> =
		StorageDoubleMap<_, Twox64Concat, IntervalIndex, Twox64Concat, MeterId, Delivery>;

	/// Each zone's standing orders, by (trader, id).
	#[pallet::storage]
	pub type Standing<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		ZoneId,
		Blake2_128Concat,
		(T::AccountId, u64),
		StandingOrder<BalanceOf<T>>,
	>;

	/// The zones that have standing orders, with how many, by zone.
	#[pallet::storage]
	pub type StandingZones<T: Config> =
		StorageValue<_, BoundedVec<(ZoneId, u32), T::MaxStandingZones>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An order was placed in an auction.
		OrderPlaced {
			/// Its trader.
			trader: T::AccountId,
			/// The trader's nonce that names it.
			nonce: u64,
			/// Bid or offer.
			side: Side,
			/// Its auction.
			product: Product,
			/// The trader's meter it names.
			meter: MeterId,
			/// Its energy, in Wh.
			quantity: Wh,
			/// Its limit price per kWh.
			price: BalanceOf<T>,
			/// What it holds: a bid's escrow, an offer's collateral.
			held: BalanceOf<T>,
		},
		/// A relayed signed order was not placed: nothing of it changed the chain.
		OrderRejected {
			/// Its trader.
			trader: T::AccountId,
			/// Its nonce.
			nonce: u64,
			/// Why: one of `place_order`'s errors, or `BadSignature`.
			error: DispatchError,
		},
		/// An order was cancelled before gate closure; its escrow or collateral is released,
		/// its deposit when its product clears.
		OrderCancelled { trader: T::AccountId, nonce: u64, side: Side, product: Product },
		/// An auction cleared: one price for all, and the energy traded.
		Cleared {
			/// The auction.
			product: Product,
			/// The clearing price per kWh.
			price: BalanceOf<T>,
			/// The energy traded, in Wh.
			volume: Wh,
		},
		/// An auction closed with no bid meeting an offer: nothing traded, all holds released.
		NotCleared { product: Product },
		/// Clearing allocated an order energy (zero: none; its hold is released).
		Allocated {
			trader: T::AccountId,
			nonce: u64,
			side: Side,
			product: Product,
			/// The energy allocated, in Wh.
			quantity: Wh,
			/// What stays on hold for it.
			held: BalanceOf<T>,
		},
		/// A seller's reading of the interval came in: what it delivered against its
		/// allocation (the rest of its export was minted to it as usual).
		Delivered { product: Product, meter: MeterId, allocated: Wh, delivered: Wh },
		/// A bid settled: the buyer received the delivered energy as credits and paid the
		/// clearing price for it; the rest of its hold is released.
		BidSettled {
			trader: T::AccountId,
			nonce: u64,
			product: Product,
			/// The energy received, in Wh (its share of what was delivered).
			energy: Wh,
			/// What it paid.
			paid: BalanceOf<T>,
		},
		/// An offer settled: the seller was paid for what it delivered, and charged for what
		/// it did not from its collateral; the rest of its collateral is released.
		OfferSettled {
			trader: T::AccountId,
			nonce: u64,
			product: Product,
			/// The energy delivered against this offer's allocation, in Wh.
			delivered: Wh,
			/// What it was paid.
			paid: BalanceOf<T>,
			/// The energy allocated and not delivered, in Wh.
			shortfall: Wh,
			/// What its shortfall cost it, paid to `operator`.
			penalty: BalanceOf<T>,
			/// Who received the penalty: the zone operator, or the auction's account if the
			/// operator's account could not take it.
			operator: T::AccountId,
		},
		/// An auction settled: every order is paid and every hold released.
		Settled { product: Product, delivered: Wh },
		/// A standing order was set (or its terms replaced): from interval `from` on, it places
		/// an order (nonce `STANDING_NONCE | id`) in each auction of its zone at its hours.
		StandingOrderSet {
			trader: T::AccountId,
			id: u64,
			zone: ZoneId,
			side: Side,
			meter: MeterId,
			quantity: Wh,
			price: BalanceOf<T>,
			hours: u32,
			from: IntervalIndex,
		},
		/// A standing order was cancelled; its deposit is released. The orders it placed stay.
		StandingOrderCancelled { trader: T::AccountId, id: u64, zone: ZoneId },
		/// A standing order sat an auction out: the order it would have placed was refused
		/// (one of `place_order`'s errors, e.g. `CannotHold`). Nothing of it changed the chain.
		StandingOrderSkipped {
			trader: T::AccountId,
			id: u64,
			product: Product,
			error: DispatchError,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No meter has this id.
		UnknownMeter,
		/// The meter is someone else's.
		NotYourMeter,
		/// The meter is suspended or retired.
		MeterNotActive,
		/// The meter is in another zone than the product.
		WrongZone,
		/// An offer must name a meter that exports (a producer or a bidirectional meter).
		MeterCannotExport,
		/// An order must be for some energy.
		ZeroQuantity,
		/// More energy than the meter can carry in an interval at its rated power.
		QuantityAboveCapacity,
		/// A price must be more than zero and a whole number of units per Wh (a multiple of
		/// 1,000 per kWh).
		PriceOffTick,
		/// The interval's auction has not opened yet (`OrderWindow`).
		NotOpenYet,
		/// The interval's gate has closed (`GateClosure`): no order is placed or cancelled.
		GateClosed,
		/// The trader has used this nonce for this product and side.
		NonceUsed,
		/// The product holds `MaxOrdersPerProduct` orders.
		TooManyOrders,
		/// The side of the product has `MaxPriceLevels` prices.
		TooManyPriceLevels,
		/// `MaxOpenIntervals` intervals have products.
		TooManyIntervals,
		/// The trader cannot hold the escrow or collateral.
		CannotHold,
		/// No such order.
		UnknownOrder,
		/// The order is cancelled already.
		AlreadyCancelled,
		/// An amount overflowed.
		Overflow,
		/// The signature is not the trader's over this order on this chain.
		BadSignature,
		/// A batch must carry an order.
		EmptyBatch,
		/// Nonces and standing orders' ids from `STANDING_NONCE` (2^63) on are the standing
		/// orders' own.
		ReservedNonce,
		/// A standing order needs hours: a mask of bits 0 to 23, not zero.
		BadHours,
		/// The zone has `MaxStandingPerZone` standing orders.
		TooManyStanding,
		/// `MaxStandingZones` zones have standing orders.
		TooManyStandingZones,
		/// No such standing order.
		UnknownStanding,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An invalid genesis must fail the chain spec build loudly, never start a chain.
			Pallet::<T>::ensure_account()
				.unwrap_or_else(|e| panic!("genesis: the auction's account not created: {e:?}"));
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_idle(_: BlockNumberFor<T>, limit: Weight) -> Weight {
			Self::work(limit)
		}

		fn integrity_test() {
			assert!(T::IntervalSeconds::get() > 0, "an interval lasts");
			assert!(T::OrderWindow::get() > T::GateClosure::get(), "an auction must be open");
			assert!(T::PenaltyPrice::get() <= T::CollateralPrice::get(), "penalties are held");
			assert!(T::MaxPriceLevels::get() > 0, "an auction must have prices");
			assert!(T::MaxOrdersPerProduct::get() > 0, "an auction must take orders");
			assert!(T::MaxDue::get() > 0, "auctions must clear");
			let intervals =
				T::OrderWindow::get().saturating_add(T::DeliveryDeadline::get()).saturating_add(1);
			assert!(
				u64::from(T::MaxOpenIntervals::get()) >= intervals,
				"every interval between the window and the deadline can have products"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Places an order in a product's auction, between its window's opening and its gate
		/// closure, and holds its escrow (a bid: its quantity at its limit price) or collateral
		/// (an offer: its quantity at `CollateralPrice`). `nonce` names it: the trader's orders
		/// of one product and side need different nonces.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::place_order())]
		pub fn place_order(
			origin: OriginFor<T>,
			nonce: u64,
			terms: OrderTerms<BalanceOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_place_order(&who, nonce, &terms)
		}

		/// Cancels one's order before its product's gate closure and releases its hold. The
		/// nonce stays used.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_order())]
		pub fn cancel_order(
			origin: OriginFor<T>,
			product: Product,
			side: Side,
			nonce: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(&who, product, side, nonce)
		}

		/// Places a batch of orders, each signed by its trader
		/// (`peergrid_primitives::auction::order_signing_payload`), relayed by anyone.
		///
		/// ## Dispatch Origin
		/// Anyone: a general transaction that this pallet authorizes (no fee, no account), or
		/// any signed account (paying the fee).
		///
		/// ## Details
		/// In the transaction pool a fee-less batch is valid only as a whole: each signature,
		/// each order's checks, each nonce unused, each trader able to hold its orders'
		/// escrow and collateral. In the block, each order is placed, or rejected with an
		/// `OrderRejected` event that gives the reason and changes nothing, as
		/// `place_order` would.
		///
		/// The weight declared is that of orders each of its own trader, meter and product; what
		/// an earlier order of the batch already read and wrote (its product's auction and
		/// curve, its trader's account and holds, its meter) is refunded: an app that relays a
		/// household's orders together pays less than a batch of strangers.
		///
		/// ## Errors
		/// - `EmptyBatch`. Per order (in `OrderRejected`): `BadSignature` and those of
		///   `place_order`.
		///
		/// ## Events
		/// - `OrderPlaced` or `OrderRejected`, one per order, in batch order.
		#[pallet::call_index(2)]
		#[pallet::authorize(Self::authorize_orders)]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_orders(orders.len() as u32))]
		#[pallet::weight(Pallet::<T>::declared_batch_weight(orders.len() as u32))]
		pub fn submit_orders(
			origin: OriginFor<T>,
			orders: SignedOrdersOf<T>,
		) -> DispatchResultWithPostInfo {
			Self::ensure_relayer(origin)?;
			ensure!(!orders.is_empty(), Error::<T>::EmptyBatch);
			Ok(Some(Self::place_signed(&orders)).into())
		}

		/// Sets a standing order of one's, `id` (below `STANDING_NONCE`): from the next gate
		/// closure on, an order with its terms enters each auction of its zone whose interval
		/// starts in one of its hours, with no transaction per interval. What an order holds is
		/// taken at its auction's gate closure; one that cannot be covered (or is refused for
		/// another reason) sits that auction out, with `StandingOrderSkipped`. Holds
		/// `StandingDeposit` until cancelled. Setting an id again replaces its terms.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_standing_order())]
		pub fn set_standing_order(
			origin: OriginFor<T>,
			id: u64,
			terms: StandingTerms<BalanceOf<T>>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_set_standing(&who, id, &terms)
		}

		/// Cancels one's standing order `id` in `zone` and releases its deposit. The orders it
		/// placed in auctions whose gate has closed stay.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::cancel_standing_order())]
		pub fn cancel_standing_order(
			origin: OriginFor<T>,
			zone: ZoneId,
			id: u64,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_standing(&who, zone, id)
		}
	}
}
