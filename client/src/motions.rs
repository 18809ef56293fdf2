//! Motions of the consortium (`pallet-collective`): a member proposes a call, the members vote,
//! and anyone closes the motion once enough of them approve; the call is then made with the
//! consortium's origin. A motion with a threshold of one is decided as it is proposed.

use crate::{
	api::{peergrid, Hash, RuntimeCall},
	node::{Included, Node},
};
use codec::Encode;
use sp_core::sr25519;

/// An open motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Motion {
	/// Its index among all the consortium's motions.
	pub index: u32,
	/// The hash of its proposal (the call), which votes name.
	pub hash: Hash,
}

/// The approvals a motion of a consortium of `members` needs: two thirds, rounded up (the
/// runtime's `ConsortiumMajority`).
pub fn two_thirds(members: u32) -> u32 {
	members.saturating_mul(2).div_ceil(3).max(1)
}

impl Node {
	/// `signer`, a member, proposes `call`, to be made once `threshold` members approve: the
	/// proposal's block and events, and the motion, unless the proposal was decided at once (a
	/// threshold of one). Fails if the call was made and failed.
	pub async fn propose(
		&self,
		signer: &sr25519::Pair,
		call: RuntimeCall,
		threshold: u32,
	) -> Result<(Included, Option<Motion>), String> {
		let length_bound = u32::try_from(call.encoded_size()).map_err(|e| e.to_string())?;
		let propose = peergrid::tx().consortium().propose(threshold, call, length_bound);
		let included = self.send(signer, &propose).await?;
		self.check_executed(&included)?;
		let motion = included
			.find::<peergrid::consortium::events::Proposed>()?
			.first()
			.map(|p| Motion { index: p.proposal_index, hash: p.proposal_hash });
		Ok((included, motion))
	}

	/// `signer`, a member, votes on `motion`.
	pub async fn vote(
		&self,
		signer: &sr25519::Pair,
		motion: Motion,
		approve: bool,
	) -> Result<Included, String> {
		let vote = peergrid::tx().consortium().vote(motion.hash, motion.index, approve);
		self.send(signer, &vote).await
	}

	/// `signer`, anyone, closes `motion`: with the call's weight and length taken from the
	/// proposal as the chain holds it. Whether the motion passed is in the events
	/// (`Consortium.Executed` or `Consortium.Disapproved`); fails if the call was made and
	/// failed.
	pub async fn close(&self, signer: &sr25519::Pair, motion: Motion) -> Result<Included, String> {
		let proposal = self
			.proposal(motion.hash)
			.await?
			.ok_or_else(|| format!("no open motion {:?}", motion.hash))?;
		let weight = self.weight_of(&proposal).await?;
		let length = u32::try_from(proposal.encoded_size()).map_err(|e| e.to_string())?;
		let close = peergrid::tx().consortium().close(motion.hash, motion.index, weight, length);
		let included = self.send(signer, &close).await?;
		self.check_executed(&included)?;
		Ok(included)
	}

	/// Fails if the events say a motion was executed and its call failed.
	fn check_executed(&self, included: &Included) -> Result<(), String> {
		for executed in included.find::<peergrid::consortium::events::Executed>()? {
			if let Err(error) = executed.result {
				return Err(format!(
					"the motion passed but its call failed: {}",
					self.describe(&error)
				));
			}
		}
		Ok(())
	}
}

#[cfg(test)]
mod tests {
	use super::two_thirds;

	#[test]
	fn a_motion_needs_two_thirds_of_the_members_rounded_up() {
		let needed: Vec<u32> = (0..=6).map(two_thirds).collect();
		assert_eq!(needed, [1, 1, 2, 2, 3, 4, 4]);
	}
}
