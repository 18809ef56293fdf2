//! End-to-end tests of the PeerGrid local consortium under faults: see `tests/` and the
//! README. The crate itself holds no code.
