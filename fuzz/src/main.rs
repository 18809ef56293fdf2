//! The runtime fuzzer's coverage-guided target: AFL++ hands each input to the harness of the
//! runtime's tests, which turns it into a sequence of transactions over many blocks and checks
//! every promise after each block; a broken promise panics, which AFL++ records as a crash.
//! Built and run by `scripts/fuzz.sh` (`docs/reliability.md` has the figures).

#[allow(dead_code)] // The tests' helpers, of which the harness uses some.
#[path = "../../runtime/tests/runtime/common/mod.rs"]
mod common;
#[path = "../../runtime/tests/runtime/fuzzing/mod.rs"]
mod fuzzing;

fn main() {
	afl::fuzz!(|input: &[u8]| fuzzing::run(input));
}
