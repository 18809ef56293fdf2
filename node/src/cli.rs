//! Command-line interface of `peergrid-node`.

/// The node's command line: a subcommand, or the options of a running node.
#[derive(Debug, clap::Parser)]
pub struct Cli {
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	#[clap(flatten)]
	pub run: sc_cli::RunCmd,
}

/// Subcommands of `peergrid-node`.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management: generate, inspect and insert keys, and derive the node's network identity.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Build a chain specification (`--chain dev`, `--chain local` or a JSON file).
	BuildSpec(sc_cli::BuildSpecCmd),

	/// Validate blocks.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state of a given block into a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Remove the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous state.
	Revert(sc_cli::RevertCmd),

	/// Show the database's meta columns.
	ChainInfo(sc_cli::ChainInfoCmd),

	/// Write the runtime's metadata to FILE: SCALE-encoded `RuntimeMetadataPrefixed`, version
	/// 16, as `Metadata_metadata_at_version(16)` returns it. `peergrid-client` generates its
	/// types from it (`scripts/metadata.sh`); an offline signer needs it too.
	Metadata {
		/// Where to write it.
		file: std::path::PathBuf,
	},

	/// Measure what a storage read and write cost on this node's database (ParityDB), on a
	/// state of realistic size that it builds once, and write the runtime's database weights
	/// (`runtime/src/weights/db.rs`). `docs/benchmarks.md` explains the method.
	BenchmarkDb(crate::benchmark_db::BenchmarkDbCmd),

	/// Import blocks of this node's chain again, as a validator that did not author them
	/// does, and report their import times by kind (readings, orders, transfers) against the
	/// slot and their weight: the block budget's measurement (`docs/benchmarks.md`). Needs
	/// the blocks' parents' state (`--state-pruning archive`).
	BenchmarkImport(crate::benchmark_import::BenchmarkImportCmd),
}

/// The metadata version the node writes and the client is generated from.
pub const METADATA_VERSION: u32 = 16;
