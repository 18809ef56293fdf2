//! What the measured weights promise: how much of a block one reading, one order, one
//! auction order and one balance transfer take, as the block author counts them (the extrinsic's base weight, its
//! extensions' weight and its call's weight), and how many fit in the normal-class weight of a
//! 6-second block. These are weights, fixed by the benchmarks (`scripts/benchmark.sh`), not
//! timings: `docs/benchmarks.md` has the figures and `peergrid load` the rates on a real node.

use crate::common;
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo},
	traits::Get,
	weights::Weight,
};
use pallet_market::Side;
use peergrid_runtime::{
	configs::RuntimeBlockWeights, Runtime, RuntimeCall, MILLI_SECS_PER_BLOCK, UNIT,
};
use sp_keyring::Sr25519Keyring;

type Market = pallet_market::Pallet<Runtime>;

/// The readings of a full batch.
const BATCH: u32 = 256;

/// The weight a block spends on an extrinsic of `call`, signed (or general), whose call
/// weighs `call_weight` once dispatched.
fn extrinsic_weight(call: RuntimeCall, signed: bool, call_weight: Weight) -> Weight {
	let xt = if signed {
		common::signed(Sr25519Keyring::Alice, 0, call, None)
	} else {
		common::general(call)
	};
	let base = RuntimeBlockWeights::get().get(DispatchClass::Normal).base_extrinsic;
	base.saturating_add(xt.get_dispatch_info().extension_weight).saturating_add(call_weight)
}

/// A balance transfer: the yardstick.
fn transfer() -> Weight {
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Sr25519Keyring::Bob.to_account_id().into(),
		value: UNIT,
	});
	let call_weight = call.get_dispatch_info().call_weight;
	extrinsic_weight(call, true, call_weight)
}

/// One reading's share of a full batch of one zone's readings of one interval, each of its own
/// household's meter, signed one by one or (`whole`) as a batch. A block does not check a
/// batch's readings before the call does, and refunds that check's weight.
fn reading(whole: bool) -> Weight {
	use pallet_readings::{Call, WeightInfo};
	type W = <Runtime as pallet_readings::Config>::WeightInfo;
	let signed = (0..BATCH)
		.map(|i| common::reading_for(Default::default(), common::ferdie(), i.into(), 1, 0, 0))
		.collect::<Vec<_>>();
	let (call, declared, check) = if whole {
		let oracle = signed[0].oracle.clone();
		let signature = signed[0].signature.clone();
		let readings = signed.iter().map(|s| s.reading).collect::<Vec<_>>();
		let readings = readings.try_into().expect("a full batch");
		let call = Call::submit_batch { oracle, readings, signature };
		(call, W::submit_batch(BATCH), W::authorize_submit_batch as fn(u32) -> Weight)
	} else {
		let readings = signed.try_into().expect("a full batch");
		(Call::submit_readings { readings }, W::submit_readings(BATCH), W::authorize_readings as _)
	};
	let in_block_refund = check(BATCH).saturating_sub(check(0));
	// Each reading is declared the delivery auction's worst case, and refunded all but a
	// miss's for a meter with no allocation, which these are.
	let declared = pallet_readings::Pallet::<Runtime>::with_delivery(declared, BATCH);
	let call_weight = pallet_readings::Pallet::<Runtime>::batch_weight(declared, BATCH, BATCH, 0);
	extrinsic_weight(RuntimeCall::Readings(call), false, call_weight)
		.saturating_sub(in_block_refund)
		/ u64::from(BATCH)
}

/// An order of `side` of a trader with one meter, in a zone with one route, that trades
/// `fills` times, as charged once dispatched: with no fills it rests, with fills it is filled.
fn order(side: Side, fills: u32) -> Weight {
	let call = RuntimeCall::Market(pallet_market::Call::place_order {
		side,
		zone: 0,
		amount: 1_000,
		price: UNIT,
		expires_at: None,
	});
	let did = pallet_market::Placement {
		side,
		fills,
		fees_owed: 0,
		passed_over: 0,
		meters_read: 1,
		routes_read: 1,
		expires: false,
		rests: fills == 0,
	};
	extrinsic_weight(call, true, Market::placement_weight(did))
}

/// One signed auction order's share of a full fee-less batch relayed to the auction, whose
/// orders come from `traders` traders (each on one meter, all in one product), or (`None`)
/// the declared worst case: each order of its own trader, meter and product. The block does
/// not check the batch before the call does, and refunds that check's weight.
fn auction_order(traders: Option<u32>) -> Weight {
	use frame_support::traits::Get;
	use pallet_auction::{OrderTerms, Product, SignedOrder, WeightInfo};
	type W = <Runtime as pallet_auction::Config>::WeightInfo;
	type Auction = pallet_auction::Pallet<Runtime>;
	let n = <Runtime as pallet_auction::Config>::MaxBatchSize::get();
	let terms = OrderTerms {
		side: pallet_auction::Side::Bid,
		product: Product { zone: 0, interval: 0 },
		meter: 0,
		quantity: 1_000,
		price: UNIT,
	};
	let signature = sp_runtime::MultiSignature::Sr25519(Default::default());
	let trader = Sr25519Keyring::Alice.to_account_id();
	let order = SignedOrder { trader, nonce: 0, terms, signature };
	let orders = vec![order; n as usize].try_into().expect("a full batch");
	let call = RuntimeCall::Auction(pallet_auction::Call::submit_orders { orders });
	let call_weight = match traders {
		None => Auction::declared_batch_weight(n),
		Some(t) => Auction::batch_weight(n, 1, t, t),
	};
	let refund = W::authorize_orders(n).saturating_sub(W::authorize_orders(0));
	extrinsic_weight(call, false, call_weight).saturating_sub(refund) / u64::from(n)
}

/// How many extrinsics of weight `each` fit in the normal-class weight of a block.
fn per_block(each: Weight) -> u64 {
	let max = RuntimeBlockWeights::get()
		.get(DispatchClass::Normal)
		.max_total
		.unwrap_or(RuntimeBlockWeights::get().max_block);
	max.ref_time() / each.ref_time().max(1)
}

fn per_second(each: Weight) -> u64 {
	per_block(each) * 1_000 / MILLI_SECS_PER_BLOCK
}

fn micros(w: Weight) -> f64 {
	w.ref_time() as f64 / 1e6
}

#[test]
fn the_weights_per_reading_order_and_transfer() {
	common::new_test_ext("development").execute_with(weights_per_unit);
}

fn weights_per_unit() {
	let (transfer, reading, batch_reading) = (transfer(), reading(false), reading(true));
	// A pair of orders, as `peergrid load` places them: a sell rests, a buy trades with it.
	let pair = order(Side::Sell, 0).saturating_add(order(Side::Buy, 1));
	// A full batch of 512 orders: of 512 strangers, or of 16 households' 32 orders each.
	let (strangers, households) = (auction_order(Some(512)), auction_order(Some(16)));
	println!("| what | weight (µs) | per 6 s block | per second | ÷ transfer |");
	println!("|---|---:|---:|---:|---:|");
	for (what, w) in [
		("balance transfer", transfer),
		("reading (in a full batch, signed one by one)", reading),
		("reading (in a full batch signed as a whole)", batch_reading),
		("buy that rests", order(Side::Buy, 0)),
		("sell that rests", order(Side::Sell, 0)),
		("buy filled by one trade", order(Side::Buy, 1)),
		("sell filled by one trade", order(Side::Sell, 1)),
		("order, average of a pair", pair / 2),
		("auction order, worst case (each of its own product, trader, meter)", auction_order(None)),
		("auction order, a batch of 512 traders' orders of one product", strangers),
		("auction order, a batch of 16 traders' 32 orders each, one product", households),
	] {
		println!(
			"| {what} | {:.1} | {} | {} | {:.2} |",
			micros(w),
			per_block(w),
			per_second(w),
			micros(w) / micros(transfer)
		);
	}
	assert!(per_second(reading) >= 1_000, "fewer than 1,000 readings per second fit");
	assert!(reading.ref_time() <= 2 * transfer.ref_time(), "a reading weighs over 2 transfers");
	assert!(batch_reading.ref_time() <= reading.ref_time(), "one signature a batch costs more");
	// Issue 18: an auction order at most a transfer; 1,000 of them a second as apps relay them,
	// each household's orders together.
	assert!(strangers.ref_time() <= transfer.ref_time(), "an auction order weighs over a transfer");
	assert!(per_second(households) >= 1_000, "fewer than 1,000 auction orders per second fit");
}

/// Issue 18: how many blocks' spare weight (`on_idle`) an auction of 10,000 orders takes to
/// clear and to settle, in empty blocks and in blocks whose transactions fill the normal class.
#[test]
fn an_auction_of_10_000_orders_clears_and_settles_in_a_few_blocks() {
	type Step = pallet_auction::Step<Runtime>;
	let limits = RuntimeBlockWeights::get();
	let normal = limits.get(DispatchClass::Normal).max_total.unwrap_or(limits.max_block);
	let empty = limits.max_block.saturating_sub(limits.base_block);
	let full = empty.saturating_sub(normal);
	let blocks = |work: Weight, spare: Weight| work.ref_time().div_ceil(spare.ref_time().max(1));
	println!("| 10,000 orders | weight (s) | empty blocks | full blocks |");
	println!("|---|---:|---:|---:|");
	// As the hooks charge it: each block's look for work, the product's step, each order's.
	let pass = |order: Weight| Step::base() + Step::advance() + order * 10_000;
	let (clear, settle) = (pass(Step::clear_order()), pass(Step::settle_order()));
	for (what, w) in [("cleared", clear), ("settled", settle)] {
		let seconds = w.ref_time() as f64 / 1e12;
		println!("| {what} | {seconds:.2} | {} | {} |", blocks(w, empty), blocks(w, full));
	}
	assert!(blocks(clear, empty) <= 2 && blocks(settle, empty) <= 2, "empty blocks");
	assert!(blocks(clear, full) <= 8 && blocks(settle, full) <= 8, "full blocks");
	// A zone's `MaxStandingPerZone` standing orders entering each of its auctions.
	let most: u32 = <Runtime as pallet_auction::Config>::MaxStandingPerZone::get();
	let most = u64::from(most);
	let enter = Step::base() + Step::advance() + Step::enter_order() * most;
	let seconds = enter.ref_time() as f64 / 1e12;
	println!(
		"| {most} standing orders entered | {seconds:.2} | {} | {} |",
		blocks(enter, empty),
		blocks(enter, full)
	);
	assert!(blocks(enter, empty) <= 2 && blocks(enter, full) <= 6, "standing orders enter");

	// Every zone's standing orders, at the caps, enter, clear and settle in each interval: no
	// fee pays for it, so it must leave the hooks at least half of what an interval's blocks
	// spare when transactions fill them, for the orders that are placed.
	let zones: u32 = <Runtime as pallet_auction::Config>::MaxStandingZones::get();
	let zones = u64::from(zones);
	let each = Step::enter_order() + Step::clear_order() + Step::settle_order();
	let all = each * zones * most;
	let interval_seconds: u64 = <Runtime as pallet_auction::Config>::IntervalSeconds::get();
	let interval_blocks = interval_seconds * 1_000 / MILLI_SECS_PER_BLOCK;
	let spare = full * interval_blocks;
	println!(
		"standing orders at the caps ({zones} zones of {most}): {:.1} s an interval, of the {:.1} s \
		 its {interval_blocks} full blocks spare ({:.0} %)",
		all.ref_time() as f64 / 1e12,
		spare.ref_time() as f64 / 1e12,
		100.0 * all.ref_time() as f64 / spare.ref_time() as f64
	);
	assert!(all.ref_time() <= spare.ref_time() / 2, "standing orders take the hooks' time");
}
