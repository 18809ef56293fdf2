//! What a block's events become in the index: a row of `events` for every event, and a row of
//! its own table for each energy event a regulator queries (readings, credits, orders,
//! trades, transfers). The tables are in `migrations/`.

use peergrid_client::subxt::{events::Phase, Metadata};
use peergrid_client::{
	api::peergrid::{balances, credits, market, meters, readings},
	api::{runtime_types::pallet_market::types::Side, AccountId},
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
		rows.push(Row { table, columns, cells: [vec![block.clone(), idx], cells.1].concat() });
	}
	if let Some(z) = decode::<meters::events::ZoneCreated>(event)? {
		rows.push(zone(z.zone, &z.name.0, &z.operator, block)?);
	} else if let Some(m) = decode::<meters::events::MeterRegistered>(event)? {
		let kind = format!("{:?}", m.kind);
		rows.push(meter(m.meter, m.zone, &m.external_id.0, &m.owner, &kind, m.capacity_w, block)?);
	}
	Ok(rows)
}

/// A row of `zones`: zone `id`, known from `block`.
pub fn zone(id: u32, name: &[u8], operator: &AccountId, block: Cell) -> Result<Row, String> {
	let cells = vec![int(id)?, text(bytes_text(name)), text(operator), block];
	Ok(Row { table: "zones", columns: &["zone", "name", "operator", "block"], cells })
}

/// A row of `meters`: meter `id`, known from `block`.
pub fn meter(
	id: u64,
	zone: u32,
	external_id: &[u8],
	owner: &AccountId,
	kind: &str,
	capacity_w: u32,
	block: Cell,
) -> Result<Row, String> {
	let columns = &["meter", "zone", "external_id", "owner", "kind", "capacity_w", "block"];
	let cells = vec![
		int(id)?,
		int(zone)?,
		text(bytes_text(external_id)),
		text(owner),
		text(kind),
		int(capacity_w)?,
		block,
	];
	Ok(Row { table: "meters", columns, cells })
}

/// Bytes as text if they are printable text, else as `0x` hex.
fn bytes_text(bytes: &[u8]) -> String {
	events::printable(bytes).map_or_else(|| events::hex(bytes), str::to_string)
}

/// A table and its columns (`block` and `idx` first), and an energy event's values for the
/// columns after those two.
type Energy = ((&'static str, &'static [&'static str]), Vec<Cell>);

/// The table of readings and its columns.
pub const READINGS: (&str, &[&str]) = (
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
/// The table of trades and its columns.
pub const TRADES: (&str, &[&str]) = (
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
