//! Reconciliation of sampled accounts: besides the chain's credit totals (every block), the
//! credits a few accounts hold at each block, as the index counts them from its rows (minted
//! plus received, less sent and retired), must be what the chain's `Credits.Accounts` holds
//! for them at that block, free and held together: their balances. (Their `minted` and
//! `retired` records are not compared: a runtime upgrade's migration may rebuild them over
//! several blocks, while balances only ever move by the events counted.) The accounts sampled
//! at a block are the first and the last its credit events move, and the owner of one meter
//! taken in turn (the first meter from `block mod (highest meter + 1)` on, wrapping), so that
//! an idle chain's accounts are checked too. Only an index of the whole history (from block 1:
//! the chain has no credits at genesis) can count an account's credits.

use crate::{
	db,
	rows::{Cell, Row},
	Indexer,
};
use peergrid_client::api::{peergrid, AccountId, Hash};
use std::str::FromStr;

/// An account's credits as the index counts them, in Wh.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Counted {
	pub minted: u64,
	pub retired: u64,
	pub sent: u64,
	pub received: u64,
}

impl Counted {
	/// Adds what `rows` (a block's, not yet written) move of `account`'s credits.
	pub fn add_rows(&mut self, account: &str, rows: &[Row]) {
		for row in rows.iter().filter(|r| r.table == "credits") {
			let text = |i: usize| match row.cells.get(i) {
				Some(Cell::Text(Some(t))) => Some(t.as_str()),
				_ => None,
			};
			let Some(Cell::Int(Some(amount))) = row.cells.get(5) else { continue };
			let amount = u64::try_from(*amount).unwrap_or_default();
			let (kind, from, to) = (text(2), text(3), text(4));
			let add = |n: &mut u64| *n = n.saturating_add(amount);
			match kind {
				Some("minted") if from == Some(account) => add(&mut self.minted),
				Some("retired") if from == Some(account) => add(&mut self.retired),
				Some("transferred") => {
					if from == Some(account) {
						add(&mut self.sent);
					}
					if to == Some(account) {
						add(&mut self.received);
					}
				}
				_ => {}
			}
		}
	}

	/// The credits the account holds, free and held, by this count (`None` if it went below
	/// zero, which only a wrong index can).
	pub fn holds(&self) -> Option<u64> {
		self.minted.checked_add(self.received)?.checked_sub(self.sent.checked_add(self.retired)?)
	}
}

/// The accounts a block's credit rows move: the first and the last (once if the same).
fn moved(rows: &[Row]) -> Vec<String> {
	let accounts: Vec<&String> = rows
		.iter()
		.filter(|r| r.table == "credits")
		.filter_map(|r| match r.cells.get(3) {
			Some(Cell::Text(Some(account))) => Some(account),
			_ => None,
		})
		.collect();
	let mut ends: Vec<String> =
		accounts.first().into_iter().chain(accounts.last()).map(|a| a.to_string()).collect();
	ends.dedup();
	ends
}

impl Indexer {
	/// Checks the sampled accounts of block `number` (`hash`), whose rows are `rows`, against
	/// the chain at that block; an error naming the first that differs.
	pub(crate) async fn reconcile_accounts(
		&self,
		number: u32,
		hash: Hash,
		rows: &[Row],
	) -> Result<(), String> {
		let mut sampled = moved(rows);
		if let Some(owner) = db::meter_owner_in_turn(&self.pool, number).await? {
			if !sampled.contains(&owner) {
				sampled.push(owner);
			}
		}
		for account in sampled {
			let mut counted = db::credits_of(&self.pool, &account).await?;
			counted.add_rows(&account, rows);
			let id =
				AccountId::from_str(&account).map_err(|e| format!("account {account}: {e:?}"))?;
			let address = peergrid::storage().credits().accounts(id);
			let chain = self.node.storage(&address, Some(hash)).await?;
			let (free, held) = chain.map_or((0, 0), |c| (c.free, c.held));
			let holds = free.checked_add(held);
			if holds != counted.holds() {
				self.metrics.drift.set(1);
				return Err(format!(
					"drift at block {number}: account {account} has on chain {} Wh of credits \
					 (free {free}, held {held}); the index counts {} Wh minted, {} Wh received, {} \
					 Wh sent and {} Wh retired",
					holds.map_or("more than u64".into(), |h| h.to_string()),
					counted.minted,
					counted.received,
					counted.sent,
					counted.retired
				));
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn credit(kind: &str, account: &str, counterparty: Option<&str>, amount: i64) -> Row {
		let text = |t: &str| Cell::Text(Some(t.to_string()));
		let cells = vec![
			Cell::Int(Some(1)),
			Cell::Int(Some(0)),
			text(kind),
			text(account),
			Cell::Text(counterparty.map(str::to_string)),
			Cell::Int(Some(amount)),
			Cell::Int(None),
		];
		Row { table: "credits", columns: &[], cells }
	}

	#[test]
	fn a_block_s_credit_rows_count_for_the_accounts_they_move() {
		let rows = [
			credit("minted", "alice", None, 1_000),
			credit("transferred", "alice", Some("bob"), 300),
			credit("transferred", "bob", Some("alice"), 50),
			credit("retired", "alice", None, 200),
			credit("minted", "bob", None, 7),
		];
		let mut alice = Counted::default();
		alice.add_rows("alice", &rows);
		assert_eq!(alice, Counted { minted: 1_000, retired: 200, sent: 300, received: 50 });
		assert_eq!(alice.holds(), Some(550));
		assert_eq!(moved(&rows), ["alice", "bob"]);
		assert_eq!(moved(&rows[..2]), ["alice"]);
		// More sent than it ever had: only a wrong index counts that.
		assert_eq!(Counted { sent: 1, ..Default::default() }.holds(), None);
	}
}
