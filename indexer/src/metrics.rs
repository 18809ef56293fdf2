//! The indexer's Prometheus metrics, served at `/metrics` (docs/indexer.md lists them, and
//! `docs/prometheus/alerts.yml` alerts on them).

use prometheus::{Encoder, IntCounter, IntCounterVec, IntGauge, Opts, Registry, TextEncoder};

/// What an operator watches of an indexer.
pub struct Metrics {
	registry: Registry,
	/// The last block indexed.
	pub height: IntGauge,
	/// The chain's finalized block, as last asked.
	pub finalized: IntGauge,
	/// Blocks indexed since the process started.
	pub blocks: IntCounter,
	/// Rows written since the process started, by table: `rate()` of it is rows per second.
	pub rows: IntCounterVec,
	/// 1 once the index's credits totals drifted from the chain's (the indexer then stops).
	pub drift: IntGauge,
	/// 1 once indexing stopped on an error (the dashboard still answers from the index).
	pub stopped: IntGauge,
}

impl Metrics {
	/// The metrics, registered in a registry of their own.
	pub fn new() -> Result<Metrics, String> {
		let registry = Registry::new();
		let gauge = |name: &str, help: &str| -> Result<IntGauge, String> {
			let gauge = IntGauge::new(name, help).map_err(|e| e.to_string())?;
			registry.register(Box::new(gauge.clone())).map_err(|e| e.to_string())?;
			Ok(gauge)
		};
		let height = gauge("peergrid_indexer_height", "The last block indexed.")?;
		let finalized = gauge(
			"peergrid_indexer_chain_finalized",
			"The chain's finalized block, as last asked.",
		)?;
		let drift = gauge(
			"peergrid_indexer_drift",
			"1 once the index's credits totals drifted from the chain's; the indexer then stops.",
		)?;
		let stopped = gauge("peergrid_indexer_stopped", "1 once indexing stopped on an error.")?;
		let blocks = IntCounter::new("peergrid_indexer_blocks_total", "Blocks indexed.")
			.map_err(|e| e.to_string())?;
		registry.register(Box::new(blocks.clone())).map_err(|e| e.to_string())?;
		let rows = IntCounterVec::new(
			Opts::new("peergrid_indexer_rows_total", "Rows written, by table."),
			&["table"],
		)
		.map_err(|e| e.to_string())?;
		registry.register(Box::new(rows.clone())).map_err(|e| e.to_string())?;
		Ok(Metrics { registry, height, finalized, blocks, rows, drift, stopped })
	}

	/// The metrics in Prometheus' text format, with the lag (`peergrid_indexer_lag_blocks`:
	/// the finalized block's number less the last indexed) worked out now.
	pub fn render(&self) -> Result<String, String> {
		let lag = IntGauge::new(
			"peergrid_indexer_lag_blocks",
			"Finalized blocks not yet indexed (the chain's finalized block less the last indexed).",
		)
		.map_err(|e| e.to_string())?;
		lag.set(self.finalized.get().saturating_sub(self.height.get()).max(0));
		let mut families = self.registry.gather();
		families.extend(prometheus::core::Collector::collect(&lag));
		let mut text = Vec::new();
		TextEncoder::new().encode(&families, &mut text).map_err(|e| e.to_string())?;
		String::from_utf8(text).map_err(|e| e.to_string())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_lag_is_the_finalized_block_less_the_last_indexed_never_below_zero() {
		let metrics = Metrics::new().expect("metrics");
		metrics.finalized.set(120);
		metrics.height.set(100);
		metrics.rows.with_label_values(&["readings"]).inc_by(3);
		let text = metrics.render().expect("rendered");
		assert!(text.contains("\npeergrid_indexer_lag_blocks 20\n"), "{text}");
		assert!(text.contains("\npeergrid_indexer_rows_total{table=\"readings\"} 3\n"), "{text}");
		metrics.height.set(130);
		let text = metrics.render().expect("rendered");
		assert!(text.contains("\npeergrid_indexer_lag_blocks 0\n"), "{text}");
	}
}
