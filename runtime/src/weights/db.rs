//! The runtime's database weights: what a storage read and a storage write cost on the
//! node's ParityDB, measured by `peergrid-node benchmark-db` (do not edit: run it again;
//! `docs/benchmarks.md` explains it).
//!
//! Measured on a state of 4000000 entries (1000000 accounts, 1000000 meters) held in
//! the OS's memory (as on a validator with memory for its state), in 3 rounds, each on
//! the database opened anew; the median of the rounds' means: a read, uncached, 17.61 µs
//! (a round: the mean over 20000 keys); a write, with the storage root and the commit,
//! 48.85 µs a key (a round: 20 batches of 10000). Both times the margin 1.

use frame_support::{
	parameter_types,
	weights::{constants::WEIGHT_REF_TIME_PER_NANOS, RuntimeDbWeight},
};

parameter_types! {
	/// The cost of a storage read and of a storage write on the node's database.
	pub const PeergridDbWeight: RuntimeDbWeight = RuntimeDbWeight {
		read: 17613 * WEIGHT_REF_TIME_PER_NANOS,
		write: 48846 * WEIGHT_REF_TIME_PER_NANOS,
	};
}
