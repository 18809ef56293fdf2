//! The runtime's benchmarks: the energy pallets' and balances' (the yardstick), and a benchmark
//! for every call and hook of the energy pallets. The benchmarks themselves run in the pallets'
//! tests (`impl_benchmark_test_suite!`) and, for the weights, in `scripts/benchmark.sh`.
//! Built only with `--features runtime-benchmarks` (and `try-runtime`, as all of `main.rs`).

use frame_benchmarking::{runtime_decl_for_benchmark::BenchmarkV2, BenchmarkList};
use peergrid_runtime::{Block, Runtime};

/// The runtime's benchmarks: (pallet, benchmark, components with their ranges).
fn benchmarks() -> Vec<BenchmarkList> {
	let (list, _) = <Runtime as BenchmarkV2<Block>>::benchmark_metadata(false);
	list
}

#[test]
fn the_energy_pallets_transaction_extensions_and_balances_have_benchmarks() {
	let pallets: Vec<String> = benchmarks()
		.iter()
		.map(|l| String::from_utf8(l.pallet.clone()).expect("pallet names are UTF-8"))
		.collect();
	assert_eq!(
		pallets,
		[
			"frame_system_extensions",
			"pallet_balances",
			"pallet_transaction_payment",
			"pallet_meters",
			"pallet_readings",
			"pallet_credits",
			"pallet_market",
			"pallet_auction"
		]
	);
}

/// The names of `pallet`'s benchmarks.
fn names(pallet: &str) -> Vec<String> {
	let list = benchmarks().into_iter().find(|l| l.pallet == pallet.as_bytes());
	let list = list.unwrap_or_else(|| panic!("{pallet} has no benchmarks"));
	list.benchmarks.iter().map(|b| String::from_utf8_lossy(&b.name).into_owned()).collect()
}

/// Every call of `calls` has a benchmark of its name in `pallet`, but those in `same_as`,
/// weighed by another benchmark.
fn every_call_benchmarked(pallet: &str, calls: &[&str], same_as: &[(&str, &str)]) {
	let names = names(pallet);
	for call in calls {
		let bench = same_as.iter().find(|(c, _)| c == call).map_or(*call, |(_, b)| *b);
		assert!(names.iter().any(|n| n == bench), "{pallet}::{call} has no benchmark {bench}");
	}
}

#[test]
fn every_call_and_hook_of_the_energy_pallets_is_benchmarked() {
	use frame_support::traits::GetCallName;
	every_call_benchmarked("pallet_meters", pallet_meters::Call::<Runtime>::get_call_names(), &[]);
	every_call_benchmarked(
		"pallet_readings",
		pallet_readings::Call::<Runtime>::get_call_names(),
		&[("submit_reading", "submit_readings")],
	);
	every_call_benchmarked(
		"pallet_credits",
		pallet_credits::Call::<Runtime>::get_call_names(),
		&[],
	);
	every_call_benchmarked("pallet_market", pallet_market::Call::<Runtime>::get_call_names(), &[]);
	// The transaction pool's check of readings, and the market's expiry of orders.
	for check in ["authorize_readings", "authorize_submit_batch"] {
		assert!(names("pallet_readings").contains(&check.to_string()), "no {check}");
	}
	assert!(names("pallet_market").contains(&"on_initialize".to_string()));
	every_call_benchmarked(
		"pallet_auction",
		pallet_auction::Call::<Runtime>::get_call_names(),
		&[],
	);
	// The pool's check of signed order batches, the readings' deliveries, and the hooks'
	// steps.
	for step in ["authorize_orders", "deliver", "work_idle", "enqueue", "clear", "settle", "enter"]
	{
		assert!(names("pallet_auction").contains(&step.to_string()), "no {step}");
	}
}
