//! Fee-less batches a relayer submits, valid in the pool only as a whole: readings (an
//! oracle's) and signed auction orders (traders').

use peergrid_client::node::{Included, Node, NotIncluded};
use std::collections::VecDeque;
use subxt::tx::Payload;

/// What a relayer keeps of its batches' fate.
pub trait Tally<I> {
	/// A batch of `n` items went into a block.
	fn count(&mut self, node: &Node, included: &Included, n: usize) -> Result<(), String>;
	/// The pool refused `item` alone, for `reason` (in the pool's words).
	fn refuse(&mut self, node: &Node, item: &I, reason: &str);
}

/// Submits `items` as one fee-less batch, the call made by `call`; each part the pool refuses
/// is split in two (and made again) and submitted again, first half first, so that the items
/// still go in order: the good ones go in, and each bad one is refused alone, with its reason.
/// A part the pool already has or had (the same bytes submitted before) is refused as a
/// whole, as already submitted.
pub async fn submit_splitting<I>(
	node: &Node,
	items: &[I],
	call: &impl Fn(&[I]) -> Box<dyn Payload + Send + Sync>,
	tally: &mut impl Tally<I>,
) -> Result<(), String> {
	let mut parts = VecDeque::from([items]);
	while let Some(part) = parts.pop_front() {
		match node.include(node.general(&call(part))?).await {
			Ok(included) => tally.count(node, &included, part.len())?,
			Err(NotIncluded::Refused(_)) if part.len() > 1 => {
				let (first, second) = part.split_at(part.len() / 2);
				parts.push_front(second);
				parts.push_front(first);
			}
			Err(NotIncluded::Refused(reason)) => {
				if let Some(item) = part.first() {
					tally.refuse(node, item, &reason);
				}
			}
			// The pool has this very batch already, or had it (a replay of the same bytes).
			Err(NotIncluded::Known(reason)) => {
				for item in part {
					tally.refuse(node, item, &format!("already submitted: {reason}"));
				}
			}
			Err(lost) => return Err(lost.into()),
		}
	}
	Ok(())
}
