//! `peergrid-node`: the PeerGrid node binary.

// `sc_cli::Error` is large, and sc-cli's runner API dictates it as the error type of every
// subcommand closure.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod energy_rpc;
mod rpc;
mod service;

fn main() -> sc_cli::Result<()> {
	command::run()
}
