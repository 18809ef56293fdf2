//! The configuration of each pallet of the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		ConstBool, ConstU128, ConstU32, ConstU64, ConstU8, Contains, EitherOfDiverse,
		NeverEnsureOrigin, VariantCountOf,
	},
	weights::{constants::WEIGHT_REF_TIME_PER_MILLIS, IdentityFee, Weight},
};
use frame_system::limits::{BlockLength, BlockWeights};
use frame_system::EnsureRoot;
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{ConvertInto, One, OpaqueKeys},
	Perbill,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Auction, Aura, Balance, Balances, Block, BlockNumber, Consortium, Credits, Hash,
	Historical, Meters, MultiBlockMigrations, Nonce, Offences, PalletInfo, Runtime, RuntimeCall,
	RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin, RuntimeTask, SessionKeys,
	Signature, System, Timestamp, Validators, DAYS, EXISTENTIAL_DEPOSIT, MILLI_SECS_PER_BLOCK,
	MILLI_UNIT, SLOT_DURATION, SS58_PREFIX, UNIT, VERSION,
};

/// Three quarters of a block are for normal transactions, the rest for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// The most validators (Aura and GRANDPA authorities) the consortium can have.
pub const MAX_AUTHORITIES: u32 = 32;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// 40 % of the slot for compute: 2.4 s a 6-second block. A validator that did not author a
	/// block must import it in time to build its own and pass it on: on the reference machine
	/// full blocks of readings, orders and transfers executed in a third of their weight or
	/// less, the slowest in 11 % of the slot (`peergrid-node benchmark-import`, "The block
	/// budget" in `docs/benchmarks.md`).
	/// An empty block's execution and a no-op extrinsic's are this runtime's, measured
	/// (`scripts/benchmark.sh`, frame-omni-bencher's `overhead`).
	pub RuntimeBlockWeights: BlockWeights = block_weights(
		Weight::from_parts(MILLI_SECS_PER_BLOCK * 2 / 5 * WEIGHT_REF_TIME_PER_MILLIS, u64::MAX),
	);
	/// At most 5 MiB of extrinsics per block.
	pub RuntimeBlockLength: BlockLength = BlockLength::builder()
		.max_length(5 * 1024 * 1024)
		.modify_max_length_for_class(DispatchClass::Normal, |max| {
			*max = NORMAL_DISPATCH_RATIO.mul_floor(*max)
		})
		.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;
}

/// The limits of a block of weight `max`: as upstream's `BlockWeights::with_sensible_defaults`
/// (a tenth of a block for `on_initialize`, the normal class's share, the rest reserved for
/// operational transactions), with this runtime's measured base weights.
fn block_weights(max: Weight) -> BlockWeights {
	use crate::weights::{
		block_weights::BlockExecutionWeight, extrinsic_weights::ExtrinsicBaseWeight,
	};
	let normal = NORMAL_DISPATCH_RATIO * max;
	BlockWeights::builder()
		.base_block(BlockExecutionWeight::get())
		.for_class(DispatchClass::all(), |class| class.base_extrinsic = ExtrinsicBaseWeight::get())
		.for_class(DispatchClass::Normal, |class| class.max_total = Some(normal))
		.for_class(DispatchClass::Operational, |class| {
			class.max_total = Some(max);
			class.reserved = Some(max.saturating_sub(normal));
		})
		.avg_block_initialization(Perbill::from_percent(10))
		.build_or_panic()
}

/// The calls no transaction may make, because on PeerGrid only the consortium's vote decides
/// them (or nobody may make them at all):
/// - `session.purgeKeys`: a validator without keys would leave the set behind the vote's back
///   (`pallet-session` drops it); keys are replaced with `session.setKeys`, never removed;
/// - node authorization's owner calls (`claimNode`, `removeClaim`, `transferNode`,
///   `addConnections`, `removeConnections`): only the consortium's list admits peers;
/// - `consortiumMembership.changeKey`: a seat moves to another account only by a motion
///   (`swapMember`).
pub struct ConsortiumCallFilter;
impl Contains<RuntimeCall> for ConsortiumCallFilter {
	fn contains(call: &RuntimeCall) -> bool {
		use pallet_node_authorization::Call as Nodes;
		!matches!(
			call,
			RuntimeCall::Session(pallet_session::Call::purge_keys { .. })
				| RuntimeCall::NodeAuthorization(
					Nodes::claim_node { .. }
						| Nodes::remove_claim { .. }
						| Nodes::transfer_node { .. }
						| Nodes::add_connections { .. }
						| Nodes::remove_connections { .. }
				) | RuntimeCall::ConsortiumMembership(pallet_membership::Call::change_key { .. })
		)
	}
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type BaseCallFilter = ConsortiumCallFilter;
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	/// What a storage read and write cost on the node's ParityDB, measured on a state of a
	/// million accounts and meters (`peergrid-node benchmark-db`, `docs/benchmarks.md`).
	type DbWeight = crate::weights::db::PeergridDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
	/// Measured on this runtime at its database weights (`docs/benchmarks.md`).
	type ExtensionsWeightInfo = crate::weights::frame_system_extensions::WeightInfo<Runtime>;
	/// Storage migrations too large for one block run over several (`pallet-migrations`).
	type MultiBlockMigrator = MultiBlockMigrations;
	/// The runtime's own migrations, in the upgrade's block.
	type SingleBlockMigrations =
		(crate::migrations::RecordSessionHistory, pallet_auction::migrations::FundAccount<Runtime>);
}

parameter_types! {
	/// A block's migration steps may use most of it: the chain takes no transactions while
	/// a multi-block migration runs.
	pub MbmServiceWeight: Weight = Perbill::from_percent(80) * RuntimeBlockWeights::get().max_block;
}

/// The storage migrations of the runtime's pallets, each in bounded steps, one or more a block
/// until it is done: a migration that finds its pallet already at its version does nothing.
/// Transactions wait until every one is done; the chain freezes rather than go on with a
/// half-migrated state if one fails. `docs/operators.md` ("Runtime upgrades") explains it.
pub type Migrations = (
	pallet_credits::migrations::v1::MigrateToV1<Runtime>,
	pallet_readings::migrations::v2::NoZoneTotals<Runtime>,
	pallet_market::migrations::v2::NoHistory<Runtime>,
);

impl pallet_migrations::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type Migrations = Migrations;
	type CursorMaxLen = ConstU32<256>;
	type IdentifierMaxLen = ConstU32<32>;
	type MigrationStatusHandler = ();
	type FailedMigrationHandler = frame_support::migrations::FreezeChainOnFailedMigration;
	type MaxServiceWeight = MbmServiceWeight;
	type WeightInfo = pallet_migrations::weights::SubstrateWeight<Runtime>;
}

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

/// How many past sessions' validator sets are kept, so that a GRANDPA equivocation in them can
/// still be reported with a proof that its author was a validator then: 168 sessions, a week of
/// the `development` chain's hour-long sessions (`docs/operators.md`).
pub const REPORTABLE_SESSIONS: u32 = 168;

parameter_types! {
	/// How long an equivocation report waits in the transaction pool: a session of the
	/// longest kind (a day of blocks).
	pub const ReportLongevity: u64 = DAYS as u64;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	/// The sessions of the GRANDPA sets whose equivocations can be reported.
	type MaxSetIdSessionEntries = ConstU64<{ REPORTABLE_SESSIONS as u64 }>;
	/// A proof that a GRANDPA key was a validator's in a past session (`Historical`).
	type KeyOwnerProof = sp_session::MembershipProof;
	/// A validator's node that sees another cast two votes in one round reports it (an
	/// unsigned transaction, checked with the proof); `Offences` keeps the report and the
	/// validator set names the offender (`Validators.OffenceReported`).
	type EquivocationReportSystem =
		pallet_grandpa::EquivocationReportSystem<Self, Offences, Historical, ReportLongevity>;
}

/// The block author, for whoever needs it (the reporter of an equivocation it includes).
impl pallet_authorship::Config for Runtime {
	type FindAuthor = pallet_session::FindAccountFromAuthorIndex<Self, Aura>;
	type EventHandler = ();
}

/// A validator's full identification in the past sessions' records: nothing but its account,
/// since validators stake nothing in proof of authority.
pub struct NothingStaked;
impl sp_runtime::traits::Convert<AccountId, Option<()>> for NothingStaked {
	fn convert(_: AccountId) -> Option<()> {
		Some(())
	}
}

impl pallet_session::historical::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type FullIdentification = ();
	type FullIdentificationOf = NothingStaked;
}

/// Offence reports, kept with their evidence; each one proven is handed to the validator set.
impl pallet_offences::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type IdentificationTuple = pallet_session::historical::IdentificationTuple<Self>;
	type OnOffenceHandler = Validators;
}

/// The past sessions' validator sets, pruned by the validator set at each session start.
pub struct PastSessions;
impl pallet_validators::SessionHistory for PastSessions {
	fn prune_before(session: u32) {
		pallet_session::historical::Pallet::<Runtime>::prune_up_to(session);
	}
}

/// Transactions the runtime itself builds (equivocation reports), unsigned.
impl<LocalCall> frame_system::offchain::CreateTransactionBase<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	type Extrinsic = crate::UncheckedExtrinsic;
	type RuntimeCall = RuntimeCall;
}

impl<LocalCall> frame_system::offchain::CreateBare<LocalCall> for Runtime
where
	RuntimeCall: From<LocalCall>,
{
	fn create_bare(call: RuntimeCall) -> crate::UncheckedExtrinsic {
		crate::UncheckedExtrinsic::new_bare(call)
	}
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the Unix epoch.
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = crate::weights::pallet_balances::WeightInfo<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

parameter_types! {
	/// Fees do not rise with congestion: a wallet can predict them.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	/// One planck per unit of weight (one picosecond of reference compute).
	type WeightToFee = IdentityFee<Balance>;
	/// One planck per byte of transaction.
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = crate::weights::pallet_transaction_payment::WeightInfo<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

/// The most consortium members (utilities with a vote).
pub const MAX_CONSORTIUM_MEMBERS: u32 = 64;

/// The consortium's collective: its members propose motions and vote on them.
pub type ConsortiumCollective = pallet_collective::Instance1;

/// A decision of the consortium: a motion that at least two thirds of the members approved.
/// The threshold is this one line; changing it is itself a runtime upgrade the consortium
/// votes on.
pub type ConsortiumMajority =
	pallet_collective::EnsureProportionAtLeast<AccountId, ConsortiumCollective, 2, 3>;

/// The admin origin of the energy pallets (zones, oracles, grid fees): the consortium's vote,
/// or Root, which only the development chain's sudo key holds (elsewhere Root acts only
/// through a consortium motion, `ConsortiumRoot`).
pub type EnergyAdmin = EitherOfDiverse<EnsureRoot<AccountId>, ConsortiumMajority>;

parameter_types! {
	/// A proposal may use at most half a block.
	pub MaxProposalWeight: Weight = Perbill::from_percent(50) * RuntimeBlockWeights::get().max_block;
}

impl pallet_membership::Config<pallet_membership::Instance1> for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type AddOrigin = ConsortiumMajority;
	type RemoveOrigin = ConsortiumMajority;
	type SwapOrigin = ConsortiumMajority;
	type ResetOrigin = ConsortiumMajority;
	type PrimeOrigin = ConsortiumMajority;
	type MembershipInitialized = Consortium;
	type MembershipChanged = Consortium;
	type MaxMembers = ConstU32<MAX_CONSORTIUM_MEMBERS>;
	type WeightInfo = pallet_membership::weights::SubstrateWeight<Runtime>;
}

impl pallet_collective::Config<ConsortiumCollective> for Runtime {
	type RuntimeOrigin = RuntimeOrigin;
	type Proposal = RuntimeCall;
	type RuntimeEvent = RuntimeEvent;
	/// A motion is open for a week; it closes early once its outcome is certain.
	type MotionDuration = ConstU32<{ 7 * DAYS }>;
	type MaxProposals = ConstU32<100>;
	type MaxMembers = ConstU32<MAX_CONSORTIUM_MEMBERS>;
	/// A member who did not vote by the end counts as voting like the prime member, or
	/// against if there is none.
	type DefaultVote = pallet_collective::PrimeDefaultVote;
	type WeightInfo = pallet_collective::weights::SubstrateWeight<Runtime>;
	/// Members change only through `ConsortiumMembership`.
	type SetMembersOrigin = NeverEnsureOrigin<()>;
	type MaxProposalWeight = MaxProposalWeight;
	type DisapproveOrigin = ConsortiumMajority;
	type KillOrigin = ConsortiumMajority;
	/// Members are known utilities: no deposit for a motion.
	type Consideration = ();
}

/// What the consortium may dispatch as Root: anything but the sudo pallet, so that no vote can
/// hand Root to a single key.
pub struct NotSudo;
impl Contains<RuntimeCall> for NotSudo {
	fn contains(call: &RuntimeCall) -> bool {
		!matches!(call, RuntimeCall::Sudo(_))
	}
}

impl crate::consortium_root::Config for Runtime {
	type RuntimeCall = RuntimeCall;
	type DispatchOrigin = ConsortiumMajority;
	type CallFilter = NotSudo;
}

/// The fewest validators the consortium may leave (see `pallets/validators/README.md`).
pub const MIN_VALIDATORS: u32 = 3;

/// The shortest session: 10 blocks, one minute.
pub const MIN_SESSION_LENGTH: BlockNumber = 10;
/// The longest session: a day. Validator changes, and GRANDPA's recovery from a stall, wait for
/// a session change.
pub const MAX_SESSION_LENGTH: BlockNumber = DAYS;

/// Whether an account has registered session keys.
pub struct HasSessionKeys;
impl Contains<AccountId> for HasSessionKeys {
	fn contains(who: &AccountId) -> bool {
		pallet_session::NextKeys::<Runtime>::contains_key(who)
	}
}

impl pallet_validators::Config for Runtime {
	type AdminOrigin = ConsortiumMajority;
	type HasSessionKeys = HasSessionKeys;
	type MaxValidators = ConstU32<MAX_AUTHORITIES>;
	type MinValidators = ConstU32<MIN_VALIDATORS>;
	type MinSessionLength = ConstU32<MIN_SESSION_LENGTH>;
	type MaxSessionLength = ConstU32<MAX_SESSION_LENGTH>;
	type ReportableSessions = ConstU32<REPORTABLE_SESSIONS>;
	type SessionHistory = PastSessions;
	type WeightInfo = pallet_validators::weights::SubstrateWeight<Runtime>;
}

/// Sessions end at every multiple of the length the consortium set.
type Sessions =
	pallet_session::PeriodicSessions<pallet_validators::SessionLengthOf<Runtime>, ConstU32<0>>;

impl pallet_session::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	/// A validator is identified by its account.
	type ValidatorId = AccountId;
	type ValidatorIdOf = ConvertInto;
	type ShouldEndSession = Sessions;
	type NextSessionRotation = Sessions;
	/// The validator set plans each session's validators; the historical module keeps their
	/// record for equivocation proofs.
	type SessionManager = pallet_session::historical::NoteHistoricalRoot<Runtime, Validators>;
	type SessionHandler = <SessionKeys as OpaqueKeys>::KeyTypeIdProviders;
	type Keys = SessionKeys;
	type DisablingStrategy = ();
	type WeightInfo = pallet_session::weights::SubstrateWeight<Runtime>;
	type Currency = Balances;
	/// Validators are admitted by vote, not by deposit.
	type KeyDeposit = ConstU128<0>;
}

impl pallet_node_authorization::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type MaxWellKnownNodes = ConstU32<64>;
	/// A libp2p peer id of an ed25519 node key is 38 bytes.
	type MaxPeerIdLength = ConstU32<128>;
	type AddOrigin = ConsortiumMajority;
	type RemoveOrigin = ConsortiumMajority;
	type SwapOrigin = ConsortiumMajority;
	type ResetOrigin = ConsortiumMajority;
	type WeightInfo = ();
}

/// The length of a settlement interval: 15 minutes, as in European and many US markets.
pub const SETTLEMENT_INTERVAL_SECONDS: u64 = 15 * 60;

impl pallet_meters::Config for Runtime {
	type AdminOrigin = EnergyAdmin;
	type UnixTime = Timestamp;
	type IntervalSeconds = ConstU64<SETTLEMENT_INTERVAL_SECONDS>;
	/// A household has one to three meters; a solar farm or a landlord more.
	type MaxMetersPerOwner = ConstU32<64>;
	type MaxZonesPerOracle = ConstU32<32>;
	type WeightInfo = pallet_meters::weights::SubstrateWeight<Runtime>;
}

impl pallet_readings::Config for Runtime {
	type Meters = Meters;
	type Credits = Credits;
	type Consumption = Credits;
	type Delivery = Auction;
	type UnixTime = Timestamp;
	type Signature = Signature;
	type Signer = <Signature as sp_runtime::traits::Verify>::Signer;
	type IntervalSeconds = ConstU64<SETTLEMENT_INTERVAL_SECONDS>;
	type MaxBatchSize = ConstU32<256>;
	type WeightInfo = pallet_readings::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::ReadingsHelper;
}

impl pallet_credits::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type MaxHolds = ConstU32<4>;
	type WeightInfo = pallet_credits::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The market's own account (`modl` + this id): it keeps grid fees owed to operators.
	pub const MarketPalletId: frame_support::PalletId = frame_support::PalletId(*b"pg/markt");
}

/// The deposit an open order holds until it closes: 0.1 GRID.
pub const ORDER_DEPOSIT: Balance = 100 * MILLI_UNIT;

impl pallet_market::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Credits = Credits;
	type Meters = Meters;
	type AdminOrigin = EnergyAdmin;
	type OrderDeposit = ConstU128<ORDER_DEPOSIT>;
	/// 0.1 kWh: an hour of a fridge, a few minutes of rooftop solar.
	type MinOrderAmount = ConstU64<100>;
	/// A household keeps a few orders open; an aggregator or a generator more.
	type MaxOrdersPerAccount = ConstU32<32>;
	type MaxOrdersPerBook = ConstU32<256>;
	type MaxFills = ConstU32<16>;
	type MaxExpiriesPerBlock = ConstU32<64>;
	type MaxRoutesPerZone = ConstU32<8>;
	type PalletId = MarketPalletId;
	type WeightInfo = pallet_market::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// The auction's own account (`modl` + this id): buyers' payments pass through it.
	pub const AuctionPalletId: frame_support::PalletId = frame_support::PalletId(*b"pg/auctn");
}

/// What every auction order holds until its product clears: 0.01 GRID (filling a product's
/// 20,000 places costs 200 GRID).
pub const AUCTION_ORDER_DEPOSIT: Balance = 10 * MILLI_UNIT;
/// An auction offer's collateral per kWh: 0.3 GRID, twice a typical retail price.
pub const AUCTION_COLLATERAL: Balance = 300 * MILLI_UNIT;
/// What a seller pays per kWh allocated and not delivered: 0.25 GRID, to the zone operator
/// who supplied it.
pub const AUCTION_PENALTY: Balance = 250 * MILLI_UNIT;
/// What a standing order holds until cancelled: 1 GRID (filling a zone's 2,000 places costs
/// 2,000 GRID).
pub const AUCTION_STANDING_DEPOSIT: Balance = UNIT;

impl pallet_auction::Config for Runtime {
	type RuntimeHoldReason = RuntimeHoldReason;
	type Currency = Balances;
	type Credits = Credits;
	type Meters = Meters;
	type Signature = Signature;
	type Signer = <Signature as sp_runtime::traits::Verify>::Signer;
	/// About 150 bytes an order: 77 KB a batch.
	type MaxBatchSize = ConstU32<512>;
	type UnixTime = Timestamp;
	type IntervalSeconds = ConstU64<SETTLEMENT_INTERVAL_SECONDS>;
	/// A day ahead: the whole of tomorrow from this time today.
	type OrderWindow = ConstU64<96>;
	/// An hour before delivery.
	type GateClosure = ConstU64<4>;
	/// A day after delivery, for late readings.
	type DeliveryDeadline = ConstU64<96>;
	type OrderDeposit = ConstU128<AUCTION_ORDER_DEPOSIT>;
	type CollateralPrice = ConstU128<AUCTION_COLLATERAL>;
	type PenaltyPrice = ConstU128<AUCTION_PENALTY>;
	type MaxPriceLevels = ConstU32<128>;
	type MaxOrdersPerProduct = ConstU32<20_000>;
	/// The window, the deadline and the interval itself: 193.
	type MaxOpenIntervals = ConstU32<256>;
	type MaxDue = ConstU32<1_024>;
	/// Each standing order enters, clears and settles in each of its zone's auctions with no
	/// fee to pay for it, 1.1 ms of the hooks' weight: at most 2,000 a zone in 16 zones, 32,000
	/// in all, take 36 s an interval, 40 % of what 150 full blocks spare (docs/auction.md).
	type MaxStandingPerZone = ConstU32<2_000>;
	type MaxStandingZones = ConstU32<16>;
	type StandingDeposit = ConstU128<AUCTION_STANDING_DEPOSIT>;
	type PalletId = AuctionPalletId;
	type WeightInfo = pallet_auction::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = crate::benchmarks::AuctionHelper;
}
