//! `peergrid-node`: the PeerGrid node binary.

// `sc_cli::Error` is large, and sc-cli's runner API dictates it as the error type of every
// subcommand closure.
#![allow(clippy::result_large_err)]

mod benchmark_db;
mod benchmark_import;
mod chain_spec;
mod cli;
mod command;
mod energy_rpc;
mod rpc;
mod service;

/// Runs the command; an error is printed in words (`Error: Invalid input: ...`), not as the
/// `Debug` text that returning it from `main` would print.
fn main() -> std::process::ExitCode {
	match command::run() {
		Ok(()) => std::process::ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("Error: {error}");
			std::process::ExitCode::FAILURE
		}
	}
}
