//! The runtime's tests, against the real runtime and its presets, with every pallet's
//! `try_state` checked after every block they build (`common`). One test binary: each of them
//! would link the whole runtime again. Built with `--features try-runtime` (its
//! `required-features`); the benchmarks' list also needs `runtime-benchmarks`.

mod common;
mod fuzzing;

mod auction;
#[cfg(feature = "runtime-benchmarks")]
mod benchmarks;
mod energy;
mod equivocation;
mod fuzz;
mod genesis_and_blocks;
mod governance;
mod market;
mod metadata_and_api;
mod try_runtime;
mod weights;
