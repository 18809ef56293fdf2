//! The node's end-to-end tests: real `peergrid-node` processes, each on its own free ports and
//! database, driven as wallets, oracles and regulators drive them: through `peergrid-client`
//! (the library the `peergrid` command-line client is built on), through that command-line
//! client, through the JavaScript clients of `scripts/js`, and over HTTP with curl; only
//! `cross_check` builds transactions in the runtime's own types. One test binary, so that its
//! tests (most of their time is spent waiting for 6-second blocks) run side by side on the
//! test harness's threads; the flood, which takes the machine's cores, is a binary of its own
//! (`tests/flood.rs`) and runs alone.

mod auction;
#[path = "../common/mod.rs"]
mod common;
mod cross_check;
mod dashboard;
mod dev_node;
mod energy_flow;
mod indexer;
mod load;
mod local_consortium;
mod mainstream_clients;
mod wallet_interfaces;
