//! The CSV files the client reads (interval readings) and writes (audit exports), through the
//! `csv` crate: a header line, then one record per line (RFC 4180, so a field may be quoted).

use serde::Deserialize;
use std::path::Path;

/// How a readings file names a meter. The two never mix: a utility's meter serials (EAN, MPAN,
/// ...) are often all digits, and such a serial must never be taken for a chain meter number.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum MeterRef {
	/// The chain's meter number (column `meter_id`).
	Id(u64),
	/// The utility's identifier of the meter, as registered (column `external_id`).
	External(String),
}

/// A row of a readings file: the meter, the interval and the cumulative registers.
#[derive(Debug, PartialEq)]
pub struct ReadingRow {
	pub meter: MeterRef,
	pub interval: u64,
	pub imported_wh: u64,
	pub exported_wh: u64,
}

/// The headers a readings file may start with: meters by chain number, or by the utility's
/// identifier.
pub const READINGS_HEADERS: [&str; 2] =
	["meter_id,interval,imported_wh,exported_wh", "external_id,interval,imported_wh,exported_wh"];

/// A record of a readings file, whichever way it names its meters.
#[derive(Deserialize)]
struct Record {
	meter_id: Option<u64>,
	external_id: Option<String>,
	interval: u64,
	imported_wh: u64,
	exported_wh: u64,
}

/// The readings of the file at `path`; every bad line is reported with its number.
pub fn read_readings(path: &Path) -> Result<Vec<ReadingRow>, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	parse_readings(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_readings(text: &str) -> Result<Vec<ReadingRow>, String> {
	let mut reader =
		::csv::ReaderBuilder::new().trim(::csv::Trim::All).from_reader(text.as_bytes());
	let header: Vec<String> =
		reader.headers().map_err(|e| e.to_string())?.iter().map(str::to_string).collect();
	let header = header.join(",");
	if !READINGS_HEADERS.contains(&header.as_str()) {
		let hint = if header.starts_with("meter,") {
			"; the column `meter` was ambiguous and is gone: name it `meter_id` (the chain's \
			 meter numbers) or `external_id` (the utility's meter identifiers)"
		} else {
			""
		};
		return Err(format!(
			"the first line must be the header `{}` or `{}`{hint}",
			READINGS_HEADERS[0], READINGS_HEADERS[1]
		));
	}
	reader
		.deserialize::<Record>()
		.map(|record| {
			let record = record.map_err(|e| match e.position() {
				Some(at) => format!("line {}: {}", at.line(), field_error(&e)),
				None => e.to_string(),
			})?;
			let meter = match (record.meter_id, record.external_id) {
				(Some(id), None) => MeterRef::Id(id),
				(None, Some(id)) if !id.is_empty() => MeterRef::External(id),
				_ => return Err("a row without a meter".to_string()),
			};
			Ok(ReadingRow {
				meter,
				interval: record.interval,
				imported_wh: record.imported_wh,
				exported_wh: record.exported_wh,
			})
		})
		.collect()
}

/// A record's error in words, without the position the caller prints.
fn field_error(error: &::csv::Error) -> String {
	match error.kind() {
		::csv::ErrorKind::Deserialize { err, .. } => match err.field() {
			Some(field) => format!("field {}: {}", field + 1, err.kind()),
			None => err.kind().to_string(),
		},
		::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
			format!("{expected_len} fields expected, found {len}")
		}
		_ => error.to_string(),
	}
}

/// Writes `header` and `rows` to `out` (a file) or to standard output.
pub fn write(out: Option<&Path>, header: &str, rows: &[Vec<String>]) -> Result<(), String> {
	let sink: Box<dyn std::io::Write> = match out {
		Some(path) => {
			Box::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?)
		}
		None => Box::new(std::io::stdout()),
	};
	let mut writer = ::csv::Writer::from_writer(sink);
	writer.write_record(header.split(',')).map_err(|e| e.to_string())?;
	for row in rows {
		writer.write_record(row).map_err(|e| e.to_string())?;
	}
	writer.flush().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn readings_name_meters_by_chain_number_or_by_external_id() {
		let text = "meter_id,interval,imported_wh,exported_wh\n0,100,5,7\n3, 101 ,6,9\n\n";
		assert_eq!(
			parse_readings(text),
			Ok(vec![
				ReadingRow {
					meter: MeterRef::Id(0),
					interval: 100,
					imported_wh: 5,
					exported_wh: 7
				},
				ReadingRow {
					meter: MeterRef::Id(3),
					interval: 101,
					imported_wh: 6,
					exported_wh: 9
				},
			])
		);
		let text = "external_id,interval,imported_wh,exported_wh\nNBH-1,100,5,7\n";
		assert_eq!(
			parse_readings(text).map(|rows| rows[0].meter.clone()),
			Ok(MeterRef::External("NBH-1".into()))
		);
	}

	#[test]
	fn an_all_digit_external_id_is_never_a_chain_meter_number() {
		// An EAN-18 meter serial: all digits, and an external id all the same.
		let text =
			"external_id,interval,imported_wh,exported_wh\n871687400000000017,100,5,7\n1,100,5,7\n";
		let meters: Vec<MeterRef> =
			parse_readings(text).expect("valid").into_iter().map(|r| r.meter).collect();
		assert_eq!(
			meters,
			[MeterRef::External("871687400000000017".into()), MeterRef::External("1".into())]
		);
	}

	#[test]
	fn the_ambiguous_meter_column_is_refused_with_the_two_names_to_use() {
		let error = parse_readings("meter,interval,imported_wh,exported_wh\n7,100,5,7\n")
			.expect_err("ambiguous");
		assert!(error.contains("`meter_id`") && error.contains("`external_id`"), "{error}");
	}

	#[test]
	fn bad_readings_files_are_refused_with_the_line() {
		assert!(parse_readings("0,100,5,7\n").unwrap_err().contains("header"));
		let short = parse_readings("meter_id,interval,imported_wh,exported_wh\n0,100,5\n");
		assert_eq!(short.unwrap_err(), "line 2: 4 fields expected, found 3");
		let negative = parse_readings("meter_id,interval,imported_wh,exported_wh\n0,100,-5,7\n");
		assert!(negative.unwrap_err().starts_with("line 2: field 3: "), "imported_wh");
		let chain_number = parse_readings("meter_id,interval,imported_wh,exported_wh\nNBH,1,2,3\n");
		assert!(chain_number.unwrap_err().starts_with("line 2: field 1: "), "not a number");
	}
}
