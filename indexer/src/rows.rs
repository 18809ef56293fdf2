//! What a block's events become in the index: a row of `events` for every event, and a row of
//! its own table for each energy event a regulator queries (readings, credits, orders,
//! trades, transfers). The tables are in `migrations/`.

use peergrid_client::subxt::{events::Phase, Metadata};
use peergrid_client::{
	api::peergrid::{balances, credits, market, readings},
	api::runtime_types::pallet_market::types::Side,
	events,
	node::{decode, Event},
};

/// One value of a row.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
	Int(Option<i64>),
	Text(Option<String>),
}

/// A row of `table`: its columns' names and values, in the same order.
#[derive(Clone, Debug)]
pub struct Row {
	pub table: &'static str,
	pub columns: &'static [&'static str],
	pub cells: Vec<Cell>,
}

/// An integer cell: an error, never a wrapped number, if it exceeds the database's BIGINT.
fn int(value: impl TryInto<i64> + Copy + std::fmt::Display) -> Result<Cell, String> {
	let n = value.try_into().map_err(|_| format!("{value} exceeds the index's BIGINT"))?;
	Ok(Cell::Int(Some(n)))
}

fn text(value: impl ToString) -> Cell {
	Cell::Text(Some(value.to_string()))
}

/// The rows of event `index` of block `block`: its `events` row and, for an energy event, the
/// row of its table. An energy event that does not decode as the client's types say is an
/// error: the index never leaves a row out silently.
pub fn of_event(
	metadata: &Metadata,
	block: u32,
	index: usize,
	event: &Event,
) -> Result<Vec<Row>, String> {
	let (block, idx) = (Cell::Int(Some(block.into())), int(index)?);
	let extrinsic = match event.phase() {
		Phase::ApplyExtrinsic(i) => Cell::Int(Some(i.into())),
		_ => Cell::Int(None),
	};
	let words = events::describe(metadata, event, &|account| account.to_string());
	let mut rows = vec![Row {
		table: "events",
		columns: &["block", "idx", "extrinsic", "pallet", "name", "text"],
		cells: vec![
			block.clone(),
			idx.clone(),
			extrinsic,
			text(event.pallet_name()),
			text(event.variant_name()),
			text(words),
		],
	}];
	if let Some(cells) = energy(metadata, event)? {
		let (table, columns) = cells.0;
		rows.push(Row { table, columns, cells: [vec![block, idx], cells.1].concat() });
	}
	Ok(rows)
}

/// A table and its columns (`block` and `idx` first), and an energy event's values for the
/// columns after those two.
type Energy = ((&'static str, &'static [&'static str]), Vec<Cell>);

const READINGS: (&str, &[&str]) = (
	"readings",
	&[
		"block",
		"idx",
		"meter",
		"interval",
		"oracle",
		"status",
		"owner",
		"imported_wh",
		"exported_wh",
		"consumed_wh",
		"credits_minted_wh",
	],
);
const CREDITS: (&str, &[&str]) =
	("credits", &["block", "idx", "kind", "account", "counterparty", "amount_wh", "uncovered_wh"]);
const ORDERS: (&str, &[&str]) = (
	"orders",
	&[
		"block",
		"idx",
		"order_id",
		"owner",
		"side",
		"zone",
		"amount_wh",
		"price_per_kwh",
		"expires_at",
	],
);
const TRADES: (&str, &[&str]) = (
	"trades",
	&[
		"block",
		"idx",
		"buy_order",
		"sell_order",
		"buyer",
		"seller",
		"buyer_zone",
		"seller_zone",
		"amount_wh",
		"price_per_kwh",
		"fee_per_kwh",
		"fee_to",
	],
);
const TRANSFERS: (&str, &[&str]) = ("transfers", &["block", "idx", "sender", "receiver", "amount"]);

/// The row of an energy event's own table, if it is one.
fn energy(metadata: &Metadata, event: &Event) -> Result<Option<Energy>, String> {
	let none = Cell::Int(None);
	if let Some(r) = decode::<readings::events::ReadingAccepted>(event)? {
		let cells = vec![
			int(r.meter)?,
			int(r.interval)?,
			text(&r.oracle),
			text("accepted"),
			text(&r.owner),
			int(r.registers.imported_wh)?,
			int(r.registers.exported_wh)?,
			int(r.consumed_wh)?,
			int(r.credits_minted)?,
		];
		return Ok(Some((READINGS, cells)));
	}
	if let Some(r) = decode::<readings::events::ReadingRejected>(event)? {
		let reason = events::error_name(metadata, &r.error);
		let mut cells = vec![int(r.meter)?, int(r.interval)?, text(&r.oracle), text(reason)];
		cells.extend([Cell::Text(None), none.clone(), none.clone(), none.clone(), none]);
		return Ok(Some((READINGS, cells)));
	}
	if let Some(m) = decode::<credits::events::Minted>(event)? {
		let cells = vec![text("minted"), text(&m.who), Cell::Text(None), int(m.amount)?, none];
		return Ok(Some((CREDITS, cells)));
	}
	if let Some(t) = decode::<credits::events::Transferred>(event)? {
		let cells = vec![text("transferred"), text(&t.from), text(&t.to), int(t.amount)?, none];
		return Ok(Some((CREDITS, cells)));
	}
	if let Some(r) = decode::<credits::events::Retired>(event)? {
		let uncovered = int(r.uncovered)?;
		let cells =
			vec![text("retired"), text(&r.who), Cell::Text(None), int(r.amount)?, uncovered];
		return Ok(Some((CREDITS, cells)));
	}
	if let Some(o) = decode::<market::events::OrderPlaced>(event)? {
		let side = match o.side {
			Side::Buy => "buy",
			Side::Sell => "sell",
		};
		let expires = o.expires_at.map(i64::from);
		let cells = vec![
			int(o.order)?,
			text(&o.owner),
			text(side),
			int(o.zone)?,
			int(o.amount)?,
			text(o.price),
			Cell::Int(expires),
		];
		return Ok(Some((ORDERS, cells)));
	}
	if let Some(t) = decode::<market::events::Trade>(event)? {
		let cells = vec![
			int(t.buy_order)?,
			int(t.sell_order)?,
			text(&t.buyer),
			text(&t.seller),
			int(t.buyer_zone)?,
			int(t.seller_zone)?,
			int(t.amount)?,
			text(t.price),
			text(t.fee),
			text(&t.fee_to),
		];
		return Ok(Some((TRADES, cells)));
	}
	if let Some(t) = decode::<balances::events::Transfer>(event)? {
		return Ok(Some((TRANSFERS, vec![text(&t.from), text(&t.to), text(t.amount)])));
	}
	Ok(None)
}

/// The credits an event minted and retired, in Wh: what the chain's totals grow by.
pub fn credits_delta(event: &Event) -> Result<(u64, u64), String> {
	if let Some(m) = decode::<credits::events::Minted>(event)? {
		return Ok((m.amount, 0));
	}
	Ok((0, decode::<credits::events::Retired>(event)?.map_or(0, |r| r.amount)))
}
