//! Amounts of the chain's native token (GRID) written as decimals, e.g. `0.15`, with the
//! number of decimals the chain declares (`tokenDecimals` of `system_properties`: 12).

/// The token's decimals.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Decimals(pub u32);

impl Decimals {
	/// One whole token in the chain's smallest units; `None` if it does not fit a `u128`.
	pub fn unit(self) -> Option<u128> {
		10u128.checked_pow(self.0)
	}

	/// `text` (e.g. `0.15`, `2`, `.5`) in the chain's smallest units.
	pub fn parse(self, text: &str) -> Result<u128, String> {
		let bad = || format!("{text:?} is not an amount of GRID such as 0.15");
		let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
		let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
		if fraction.len() > self.0 as usize
			|| (whole.is_empty() && fraction.is_empty())
			|| !digits(whole)
			|| !digits(fraction)
		{
			return Err(bad());
		}
		let whole: u128 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
		let fraction: u128 = if fraction.is_empty() {
			0
		} else {
			format!("{fraction:0<width$}", width = self.0 as usize).parse().map_err(|_| bad())?
		};
		self.unit()
			.and_then(|unit| whole.checked_mul(unit))
			.and_then(|w| w.checked_add(fraction))
			.ok_or_else(bad)
	}

	/// `amount` of the chain's smallest units as a decimal, e.g. `0.15`.
	pub fn show(self, amount: u128) -> String {
		let Some(unit) = self.unit().filter(|u| *u > 1) else { return amount.to_string() };
		let fraction = format!("{:0width$}", amount % unit, width = self.0 as usize);
		let fraction = fraction.trim_end_matches('0');
		if fraction.is_empty() {
			format!("{}", amount / unit)
		} else {
			format!("{}.{fraction}", amount / unit)
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	const GRID: Decimals = Decimals(12);
	const UNIT: u128 = 1_000_000_000_000;

	#[test]
	fn grid_amounts_parse_and_print_as_decimals() {
		assert_eq!(GRID.parse("0.15"), Ok(150 * UNIT / 1000));
		assert_eq!(GRID.parse("2"), Ok(2 * UNIT));
		assert_eq!(GRID.parse(".5"), Ok(UNIT / 2));
		assert_eq!(GRID.parse("0.000000000001"), Ok(1));
		assert!(GRID.parse("0.0000000000001").is_err(), "finer than the chain's unit");
		assert!(GRID.parse("-1").is_err());
		assert!(GRID.parse("+1").is_err());
		assert!(GRID.parse("1,5").is_err());
		assert!(GRID.parse("").is_err());
		assert!(GRID.parse("1e3").is_err());
		assert!(GRID.parse("400000000000000000000000000000").is_err(), "overflows");
		assert_eq!(GRID.show(150 * UNIT / 1000), "0.15");
		assert_eq!(GRID.show(3 * UNIT), "3");
		assert_eq!(GRID.show(1), "0.000000000001");
		assert_eq!(Decimals(0).show(7), "7");
	}
}
