//! The CSV files the client reads (interval readings) and writes (audit exports): plain
//! comma-separated values with a header line; no field needs quoting.

use std::{io::Write, path::Path};

/// A row of a readings file: the meter as written (its number or external id), the interval
/// and the cumulative registers.
#[derive(Debug, PartialEq)]
pub struct ReadingRow {
	pub meter: String,
	pub interval: u64,
	pub imported_wh: u64,
	pub exported_wh: u64,
}

/// The header of a readings file.
pub const READINGS_HEADER: &str = "meter,interval,imported_wh,exported_wh";

/// The readings of the file at `path`; every bad line is reported with its number.
pub fn read_readings(path: &Path) -> Result<Vec<ReadingRow>, String> {
	let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
	parse_readings(&text).map_err(|e| format!("{}: {e}", path.display()))
}

fn parse_readings(text: &str) -> Result<Vec<ReadingRow>, String> {
	let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
	match lines.next() {
		Some((_, header)) if header.trim() == READINGS_HEADER => {}
		_ => return Err(format!("the first line must be the header `{READINGS_HEADER}`")),
	}
	lines
		.map(|(i, line)| {
			let fields: Vec<&str> = line.split(',').map(str::trim).collect();
			let [meter, interval, imported, exported] = fields[..] else {
				return Err(format!("line {}: 4 fields expected, found {}", i + 1, fields.len()));
			};
			let number = |name: &str, value: &str| {
				value
					.parse::<u64>()
					.map_err(|_| format!("line {}: {name} {value:?} is not a whole number", i + 1))
			};
			Ok(ReadingRow {
				meter: meter.to_string(),
				interval: number("interval", interval)?,
				imported_wh: number("imported_wh", imported)?,
				exported_wh: number("exported_wh", exported)?,
			})
		})
		.collect()
}

/// Writes `header` and `rows` to `out` (a file) or to standard output.
pub fn write(out: Option<&Path>, header: &str, rows: &[Vec<String>]) -> Result<(), String> {
	let mut text = String::from(header);
	text.push('\n');
	for row in rows {
		text.push_str(&row.join(","));
		text.push('\n');
	}
	match out {
		Some(path) => std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display())),
		None => std::io::stdout().write_all(text.as_bytes()).map_err(|e| e.to_string()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn readings_parse_by_number_or_external_id() {
		let text = "meter,interval,imported_wh,exported_wh\n0,100,5,7\nNBH-1, 101 ,6,9\n\n";
		assert_eq!(
			parse_readings(text),
			Ok(vec![
				ReadingRow { meter: "0".into(), interval: 100, imported_wh: 5, exported_wh: 7 },
				ReadingRow { meter: "NBH-1".into(), interval: 101, imported_wh: 6, exported_wh: 9 },
			])
		);
	}

	#[test]
	fn bad_readings_files_are_refused_with_the_line() {
		assert!(parse_readings("0,100,5,7\n").unwrap_err().contains("header"));
		let short = parse_readings("meter,interval,imported_wh,exported_wh\n0,100,5\n");
		assert_eq!(short.unwrap_err(), "line 2: 4 fields expected, found 3");
		let negative = parse_readings("meter,interval,imported_wh,exported_wh\n0,100,-5,7\n");
		assert_eq!(negative.unwrap_err(), "line 2: imported_wh \"-5\" is not a whole number");
	}
}
