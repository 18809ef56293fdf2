#![doc = include_str!("../README.md")]
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod impls;
#[cfg(any(feature = "try-runtime", test))]
mod invariants;
mod matching;
pub mod migrations;
pub mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod property;
#[cfg(test)]
mod tests;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

const LOG_TARGET: &str = "runtime::market";

/// The energy market: order books per zone, matched on chain at placement by price-time
/// priority, settled in the block with grid fees between zones.
#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::fungible::{self, Inspect},
		PalletId,
	};
	use frame_system::pallet_prelude::*;
	use peergrid_primitives::{MeterRegistry, Wh, ZoneId};

	/// An amount of the native currency.
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
	/// An open order of this runtime.
	pub type OrderOf<T> =
		Order<<T as frame_system::Config>::AccountId, BalanceOf<T>, BlockNumberFor<T>>;
	/// An order book of this runtime.
	pub type BookOf<T> = BoundedVec<BookEntry<BalanceOf<T>>, <T as Config>::MaxOrdersPerBook>;
	/// The storage layout's version: 2 keeps no history of trades (see [`crate::migrations`]):
	/// the `Trade` events carry it. Version 1 kept unpayable grid fees in the market's account.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Why the market holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// Credits offered by an open sell order.
		SellOrder,
		/// Currency set aside to pay for an open buy order: its remaining amount at its limit
		/// price.
		BuyOrder,
		/// The deposit of an open order, returned when it closes.
		OrderDeposit,
	}

	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The runtime's hold reasons, of which the market's are part.
		type RuntimeHoldReason: From<HoldReason>;
		/// The native currency: buyers pay with it, deposits are held in it.
		type Currency: fungible::MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ fungible::Mutate<Self::AccountId>;
		/// The energy credits (1 credit = 1 Wh) that sell orders offer.
		type Credits: fungible::MutateHold<
			Self::AccountId,
			Reason = Self::RuntimeHoldReason,
			Balance = Wh,
		>;
		/// Zones, their operators, and who has a meter where.
		type Meters: MeterRegistry<Self::AccountId>;
		/// The origin that sets grid fees: the consortium.
		type AdminOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The deposit an open order holds, returned when it closes: an order book slot
		/// costs something, so filling the books costs a spammer real money.
		#[pallet::constant]
		type OrderDeposit: Get<BalanceOf<Self>>;
		/// The least amount an order can be placed for, in Wh: dust orders cannot crowd the
		/// best prices of a book.
		#[pallet::constant]
		type MinOrderAmount: Get<Wh>;
		/// The most open orders one account can have.
		#[pallet::constant]
		type MaxOrdersPerAccount: Get<u32>;
		/// The most open orders one book (a zone's buy or sell side) can have.
		#[pallet::constant]
		type MaxOrdersPerBook: Get<u32>;
		/// The most resting orders a new order trades with: bounds the work of one placement
		/// (with the owner's own orders it passes over, at most `MaxOrdersPerAccount`).
		#[pallet::constant]
		type MaxFills: Get<u32>;
		/// The most orders that can expire in one block.
		#[pallet::constant]
		type MaxExpiriesPerBlock: Get<u32>;
		/// The most other zones a zone can trade with.
		#[pallet::constant]
		type MaxRoutesPerZone: Get<u32>;
		/// The id of the market's own account, which keeps the grid fees that could not be paid
		/// to a zone operator (`UnpaidFees`) until the operator claims them.
		#[pallet::constant]
		type PalletId: Get<PalletId>;
		/// Weights of the calls and the expiry hook.
		type WeightInfo: WeightInfo;
	}

	/// The id the next order gets.
	#[pallet::storage]
	pub type NextOrderId<T> = StorageValue<_, OrderId, ValueQuery>;

	/// The open orders. An order leaves when it is filled, cancelled or expires.
	#[pallet::storage]
	pub type Orders<T: Config> = StorageMap<_, Twox64Concat, OrderId, OrderOf<T>>;

	/// The order books: for each zone and side, the open orders best first.
	#[pallet::storage]
	pub type Books<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ZoneId, Twox64Concat, Side, BookOf<T>, ValueQuery>;

	/// Each account's open orders, oldest first.
	#[pallet::storage]
	pub type OrdersOf<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		BoundedVec<OrderId, T::MaxOrdersPerAccount>,
		ValueQuery,
	>;

	/// The orders that expire at the start of each block.
	#[pallet::storage]
	pub type ExpiringAt<T: Config> = StorageMap<
		_,
		Twox64Concat,
		BlockNumberFor<T>,
		BoundedVec<OrderId, T::MaxExpiriesPerBlock>,
		ValueQuery,
	>;

	/// Grid fees per kWh, by (seller's zone, buyer's zone). A pair of different zones trades
	/// only if it has a fee (which may be zero); a zone trades with itself at its fee, zero
	/// if none is set.
	#[pallet::storage]
	pub type GridFees<T: Config> =
		StorageDoubleMap<_, Twox64Concat, ZoneId, Twox64Concat, ZoneId, BalanceOf<T>>;

	/// For each zone, the other zones its buyers can buy from (sorted).
	#[pallet::storage]
	pub type ImportsOf<T: Config> =
		StorageMap<_, Twox64Concat, ZoneId, BoundedVec<ZoneId, T::MaxRoutesPerZone>, ValueQuery>;

	/// For each zone, the other zones its sellers can sell to (sorted).
	#[pallet::storage]
	pub type ExportsOf<T: Config> =
		StorageMap<_, Twox64Concat, ZoneId, BoundedVec<ZoneId, T::MaxRoutesPerZone>, ValueQuery>;

	/// Grid fees owed to zone operators that could not be paid at their trades (the operator's
	/// account did not exist and the fee was below the existential deposit): kept in the
	/// market's account until the operator claims them (`claim_grid_fees`).
	#[pallet::storage]
	pub type UnpaidFees<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, BalanceOf<T>, ValueQuery>;

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// An order was placed. Its trades, if any, follow; then it is filled, truncated, or
		/// rests in its book.
		OrderPlaced {
			/// The new order.
			order: OrderId,
			/// Who placed it.
			owner: T::AccountId,
			/// Buy or sell.
			side: Side,
			/// Its zone.
			zone: ZoneId,
			/// Its amount, in Wh.
			amount: Wh,
			/// Its limit price per kWh (a buy's includes the grid fee).
			price: BalanceOf<T>,
			/// The block at whose start it expires, if any.
			expires_at: Option<BlockNumberFor<T>>,
		},
		/// Credits were traded between a buy and a sell order, settled in this block.
		Trade {
			/// The buy order.
			buy_order: OrderId,
			/// The sell order.
			sell_order: OrderId,
			/// The buyer, who received the credits.
			buyer: T::AccountId,
			/// The seller, who received the payment.
			seller: T::AccountId,
			/// The seller's order's zone.
			seller_zone: ZoneId,
			/// The buyer's order's zone.
			buyer_zone: ZoneId,
			/// The credits traded, in Wh.
			amount: Wh,
			/// The energy price per kWh the seller received.
			price: BalanceOf<T>,
			/// The grid fee per kWh the buyer paid on top of `price`.
			fee: BalanceOf<T>,
			/// Who received the grid fee: the operator of the buyer's zone (or is owed it, if
			/// its account could not receive it: `GridFeeOwed` follows).
			fee_to: T::AccountId,
		},
		/// An order was completely filled and closed.
		OrderFilled {
			/// The order.
			order: OrderId,
			/// Its owner.
			owner: T::AccountId,
		},
		/// A new order traded, but its unfilled rest was returned to its owner instead of
		/// resting (it closes): it reached `MaxFills` while it could still trade, or it could
		/// not rest for a bound. Place the rest again to continue.
		OrderTruncated {
			/// The order.
			order: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// The amount returned unfilled, in Wh.
			unfilled: Wh,
			/// Why it did not rest.
			reason: Truncation,
		},
		/// An order was cancelled by its owner.
		OrderCancelled {
			/// The order.
			order: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// The amount returned unfilled, in Wh.
			unfilled: Wh,
		},
		/// An order reached its expiry block.
		OrderExpired {
			/// The order.
			order: OrderId,
			/// Its owner.
			owner: T::AccountId,
			/// The amount returned unfilled, in Wh.
			unfilled: Wh,
		},
		/// A grid fee could not be paid to the zone operator (its account does not exist, and
		/// the fee is below the existential deposit): the market keeps it until the operator
		/// claims it.
		GridFeeOwed {
			/// The operator of the buyer's zone.
			operator: T::AccountId,
			/// The fee of the trade.
			amount: BalanceOf<T>,
			/// All the fees now owed to the operator.
			owed: BalanceOf<T>,
		},
		/// An operator claimed the grid fees the market kept for it.
		GridFeesClaimed {
			/// The operator.
			operator: T::AccountId,
			/// What it received.
			amount: BalanceOf<T>,
		},
		/// The grid fee of a pair of zones was set, or removed (`fee: None`).
		GridFeeSet {
			/// The seller's zone.
			from: ZoneId,
			/// The buyer's zone.
			to: ZoneId,
			/// The fee per kWh; `None`: the pair no longer trades (same zone: its fee is zero).
			fee: Option<BalanceOf<T>>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The amount is below the least an order can be placed for (`MinOrderAmount`).
		AmountBelowMinimum,
		/// The price must be more than zero.
		ZeroPrice,
		/// Prices and fees are per kWh and must be whole units per Wh: a multiple of 1,000.
		PriceOffTick,
		/// No such zone.
		UnknownZone,
		/// The trader has no active meter in the order's zone.
		NoActiveMeterInZone,
		/// The expiry block must be after the current block.
		ExpiryNotInFuture,
		/// The order would rest, but its expiry block already has the most expiring orders;
		/// choose another expiry block. Nothing was traded.
		ExpiryBlockFull,
		/// The order would rest, but the account already has the most open orders allowed.
		/// Nothing was traded.
		TooManyOrders,
		/// The order would rest, but its book is full. Nothing was traded.
		BookFull,
		/// The seller has fewer free credits than the order's amount.
		InsufficientCredits,
		/// The account cannot pay the order's deposit, and for a buy order its amount at its
		/// limit price, and keep its existential deposit.
		InsufficientFunds,
		/// No such open order.
		UnknownOrder,
		/// Only the order's owner can cancel it.
		NotOrderOwner,
		/// A zone already trades with the most other zones allowed.
		TooManyRoutes,
		/// An amount or price is so large that a total would overflow.
		Overflow,
		/// The market owes the account no grid fees.
		NothingToClaim,
		/// The fees owed are below the existential deposit and the account does not exist yet:
		/// fund the account first (or wait until more fees are owed).
		ClaimBelowMinimum,
	}

	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// Grid fees to set, as `(seller's zone, buyer's zone, fee per kWh)`; the zones must
		/// exist (the meter registry's genesis comes first).
		pub grid_fees: alloc::vec::Vec<(ZoneId, ZoneId, BalanceOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			// An invalid genesis must fail the chain spec build loudly, never start a chain.
			Pallet::<T>::ensure_account()
				.unwrap_or_else(|e| panic!("genesis: the market's account not created: {e:?}"));
			for (from, to, fee) in &self.grid_fees {
				Pallet::<T>::do_set_grid_fee(*from, *to, Some(*fee))
					.unwrap_or_else(|e| panic!("genesis: grid fee {from}->{to} not set: {e:?}"));
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Self::expire_orders(now);
			T::WeightInfo::on_initialize(due)
		}

		fn integrity_test() {
			assert!(T::MaxOrdersPerAccount::get() > 0, "an account must be able to place orders");
			assert!(T::MinOrderAmount::get() > 0, "an order must be for something");
			assert!(T::MaxOrdersPerBook::get() > 0, "a book must hold orders");
			assert!(T::MaxFills::get() > 0, "an order must be able to trade");
			assert!(T::MaxExpiriesPerBlock::get() > 0, "orders must be able to expire");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call(weight(<T as Config>::WeightInfo))]
	impl<T: Config> Pallet<T> {
		/// Place an order, matching it at once against the books.
		///
		/// ## Dispatch Origin
		/// Signed by a trader with an active meter in `zone`.
		///
		/// ## Details
		/// A sell order holds `amount` credits; a buy order holds `amount` at its limit `price`
		/// in the native currency (its price includes the grid fee). Both hold the
		/// `OrderDeposit`. The order then trades, best price first and oldest first among
		/// equal prices, with the resting orders of the other side at the resting order's
		/// price: a buy takes sell orders of its zone and of the zones it imports from, by
		/// ask + grid fee, while that is at most its limit; a sell takes buy orders of its
		/// zone and of the zones it exports to, by bid - grid fee, while that is at least its
		/// limit. It never trades with its owner's own orders: it passes over them. After at
		/// most `MaxFills` trades, the unfilled rest rests in its book, or, if it could still
		/// trade, is returned (`OrderTruncated`). A rest that cannot rest for a bound (book
		/// full, too many open orders, expiry block full) fails the call if nothing traded, and
		/// is returned (`OrderTruncated`) otherwise. Settlement is immediate.
		///
		/// `price` is per kWh and must be a multiple of 1,000 (whole units per Wh);
		/// `expires_at`, if given, is a later block at whose start the order expires.
		///
		/// Every order declares the same weight, the worst case of any order: the pool gives
		/// lighter transactions priority, and no side and no choice of expiry should get ahead
		/// of another. The weight charged is for what it did: its side, the trades made, whether
		/// it rests (with its expiry), the owner's orders passed over, the owner's meters read to
		/// find one in `zone`, and the other zones' books read.
		///
		/// ## Errors
		/// - `AmountBelowMinimum`, `ZeroPrice`, `PriceOffTick`, `UnknownZone`, `NoActiveMeterInZone`,
		///   `ExpiryNotInFuture`, `ExpiryBlockFull`, `TooManyOrders`, `InsufficientCredits`,
		///   `InsufficientFunds`, `BookFull`, `Overflow`.
		///
		/// ## Events
		/// - `OrderPlaced`, then a `Trade` per fill, `OrderFilled` for each order filled
		///   completely, and `OrderTruncated` if the rest was returned.
		#[pallet::call_index(0)]
		#[pallet::weight(Pallet::<T>::declared_placement_weight())]
		pub fn place_order(
			origin: OriginFor<T>,
			side: Side,
			zone: ZoneId,
			amount: Wh,
			price: BalanceOf<T>,
			expires_at: Option<BlockNumberFor<T>>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			let weight = Self::do_place_order(who, side, zone, amount, price, expires_at)?;
			Ok(Some(weight).into())
		}

		/// Cancel an open order, returning what it still holds.
		///
		/// ## Dispatch Origin
		/// Signed by the order's owner.
		///
		/// ## Errors
		/// - `UnknownOrder`, `NotOrderOwner`.
		///
		/// ## Events
		/// - `OrderCancelled`
		#[pallet::call_index(1)]
		pub fn cancel_order(origin: OriginFor<T>, order: OrderId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_cancel_order(&who, order)
		}

		/// Set the grid fee per kWh that buyers in zone `to` pay for energy from zone `from`,
		/// or remove it (`fee: None`).
		///
		/// ## Dispatch Origin
		/// The admin origin (the consortium).
		///
		/// ## Details
		/// Two different zones trade only while their pair has a fee (zero is allowed); each
		/// direction is set on its own. A zone always trades with itself, at its fee or zero.
		/// The fee goes to the operator of the buyer's zone. Open orders keep their places;
		/// the new fee applies to trades from now on.
		///
		/// ## Errors
		/// - `UnknownZone`, `PriceOffTick`, `TooManyRoutes`.
		///
		/// ## Events
		/// - `GridFeeSet`
		#[pallet::call_index(2)]
		pub fn set_grid_fee(
			origin: OriginFor<T>,
			from: ZoneId,
			to: ZoneId,
			fee: Option<BalanceOf<T>>,
		) -> DispatchResult {
			T::AdminOrigin::ensure_origin(origin)?;
			Self::do_set_grid_fee(from, to, fee)
		}

		/// Claim the grid fees the market kept for the caller, a zone operator whose account
		/// could not receive them at the trades (it did not exist, and each fee was below the
		/// existential deposit).
		///
		/// ## Dispatch Origin
		/// Signed by the operator.
		///
		/// ## Errors
		/// - `NothingToClaim`, `ClaimBelowMinimum`.
		///
		/// ## Events
		/// - `GridFeesClaimed`
		#[pallet::call_index(3)]
		pub fn claim_grid_fees(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			Self::do_claim_grid_fees(&who)
		}
	}
}
