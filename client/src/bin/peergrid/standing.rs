//! `peergrid auction standing`: standing orders, set once, that enter every auction of their
//! zone at their hours of the day until cancelled, with no transaction per interval.

use crate::{auction::TermsArgs, keys, show};
use clap::Subcommand;
use peergrid_client::{
	auction::{self, Standing},
	node::Node,
};
use peergrid_primitives::auction::{Side, ALL_HOURS};
use serde_json::{json, Value};
use sp_core::sr25519;

#[derive(Subcommand)]
pub enum StandingCommand {
	/// Set a standing order of the signer's, or replace the terms of its id: from the next
	/// gate closure on, it places an order in each auction of its zone whose interval starts
	/// in its hours (UTC); what the order holds is taken at that auction's gate closure. Holds
	/// the chain's `StandingDeposit` until cancelled.
	Set {
		#[command(flatten)]
		terms: TermsArgs,
		/// The hours of the day (UTC) whose intervals it enters: `all`, or hours and ranges
		/// of hours, e.g. `9-15` (09:00 to 15:00), `7-9,17-21`, `22-6` (over midnight), `18`
		/// (18:00 to 19:00).
		#[arg(long, default_value = "all", value_parser = parse_hours)]
		hours: u32,
		/// The standing order's id among the signer's (below 2^63).
		#[arg(long, default_value_t = 0)]
		id: u64,
	},
	/// Cancel a standing order of the signer's: it enters no auction whose gate is still
	/// open, and its deposit is released. The orders it placed before stay.
	Cancel {
		#[arg(long)]
		zone: u32,
		#[arg(long, default_value_t = 0)]
		id: u64,
	},
	/// An account's standing orders in a zone, at the best block (JSON).
	List {
		/// The account: SS58, a dev name or a key file [default: the signer's].
		account: Option<String>,
		#[arg(long)]
		zone: u32,
	},
}

/// A standing order's hours from the command line: `all`, or a comma-separated list of hours
/// (`18`: 18:00 to 19:00) and ranges (`9-15`: 09:00 to 15:00; `22-6` goes over midnight).
pub fn parse_hours(text: &str) -> Result<u32, String> {
	if text == "all" {
		return Ok(ALL_HOURS);
	}
	let hour = |h: &str| match h.trim().parse::<u32>() {
		Ok(h) if h <= 24 => Ok(h),
		_ => Err(format!("{h:?} is not an hour of the day (0 to 24)")),
	};
	let mut mask = 0u32;
	for part in text.split(',') {
		let (from, to) = match part.split_once('-') {
			Some((from, to)) => (hour(from)?, hour(to)?),
			None => {
				let h = hour(part)?;
				(h, h + 1)
			}
		};
		if from == to || from >= 24 {
			return Err(format!("{part:?} has no hour: give hours as 9-15, 22-6 or 18"));
		}
		let length = if to > from { to - from } else { to + 24 - from };
		for h in from..from + length {
			mask |= 1 << (h % 24);
		}
	}
	Ok(mask)
}

/// A standing order's hours in words: `all`, or the ranges they make, e.g. `7-9,17-21`.
pub fn show_hours(mask: u32) -> String {
	if mask & ALL_HOURS == ALL_HOURS {
		return "all".into();
	}
	let mut ranges = Vec::new();
	let mut h = 0;
	while h < 24 {
		if mask & (1 << h) == 0 {
			h += 1;
			continue;
		}
		let from = h;
		while h < 24 && mask & (1 << h) != 0 {
			h += 1;
		}
		ranges.push(format!("{from}-{h}"));
	}
	ranges.join(",")
}

pub async fn run(
	node: &Node,
	signer: impl Fn() -> Result<sr25519::Pair, String>,
	command: StandingCommand,
) -> Result<(), String> {
	match command {
		StandingCommand::Set { terms, hours, id } => {
			let TermsArgs { side, zone, meter, quantity_wh, price } = terms;
			let price = node.decimals()?.parse(&price)?;
			let terms =
				Standing { side: side.into(), zone, meter, quantity: quantity_wh, price, hours };
			show::report(node, node.send(&signer()?, &auction::set_standing(id, terms)).await?);
			Ok(())
		}
		StandingCommand::Cancel { zone, id } => {
			let call = auction::cancel_standing(zone, id);
			show::report(node, node.send(&signer()?, &call).await?);
			Ok(())
		}
		StandingCommand::List { account, zone } => {
			let who = match account {
				Some(name) => keys::account(&name)?,
				None => keys::account_of(&signer()?),
			};
			let decimals = node.decimals()?;
			let orders: Vec<Value> = auction::standing_of(node, &who, zone)
				.await?
				.into_iter()
				.map(|(id, order)| {
					let side = match order.side.0 {
						Side::Bid => "bid",
						Side::Offer => "offer",
					};
					json!({
						"id": id,
						"side": side,
						"meter": order.meter,
						"quantityWh": order.quantity,
						"price": decimals.show(order.price),
						"hours": show_hours(order.hours),
						"from": order.from,
						"deposit": decimals.show(order.deposit),
					})
				})
				.collect();
			show::print_json(&json!({ "account": who.to_string(), "zone": zone, "orders": orders }))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn hours_parse_into_the_chain_s_mask_and_back() {
		assert_eq!(parse_hours("all"), Ok(ALL_HOURS));
		assert_eq!(parse_hours("0-24"), Ok(ALL_HOURS));
		assert_eq!(parse_hours("9-15"), Ok(0b111111 << 9));
		assert_eq!(parse_hours("18"), Ok(1 << 18));
		assert_eq!(parse_hours("23"), Ok(1 << 23));
		assert_eq!(parse_hours("22-2"), Ok((1 << 22) | (1 << 23) | 1 | 2));
		assert_eq!(parse_hours("7-9,17-21"), Ok((0b11 << 7) | (0b1111 << 17)));
		for bad in ["", "25", "9-9", "24", "x", "9-", "-3"] {
			assert!(parse_hours(bad).is_err(), "{bad:?} is refused");
		}
		for text in ["all", "9-15", "18-19", "0-2,22-24", "7-9,17-21"] {
			assert_eq!(show_hours(parse_hours(text).unwrap_or_default()), text);
		}
	}
}
