//! Administrative calls: made by the sudo key on a development chain, or by a motion of the
//! consortium, which its members vote on and anyone closes.

use crate::{show, Via};
use codec::Encode;
use peergrid_client::{
	api::{peergrid, Hash, RuntimeCall},
	node::{Included, Node},
};
use sp_core::sr25519;

/// Makes the administrative call `call`, by sudo or by a motion of the consortium.
pub async fn make(
	node: &Node,
	signer: &sr25519::Pair,
	call: RuntimeCall,
	via: Via,
) -> Result<(), String> {
	let tx = peergrid::tx();
	match via {
		Via::Sudo => {
			let included = node.send(signer, &tx.sudo().sudo(call)).await?;
			for sudid in included.find::<peergrid::sudo::events::Sudid>()? {
				if let Err(error) = sudid.sudo_result {
					return Err(format!("the call failed: {}", node.describe(&error)));
				}
			}
			show::report(node, included);
			Ok(())
		}
		Via::Motion => {
			let members = node.members().await?.len() as u32;
			// Two thirds of the members, rounded up (`ConsortiumMajority`).
			let threshold = (2 * members).div_ceil(3).max(1);
			let length_bound = u32::try_from(call.encoded_size()).map_err(|e| e.to_string())?;
			let propose = tx.consortium().propose(threshold, call, length_bound);
			let included = node.send(signer, &propose).await?;
			check_executed(node, &included)?;
			let proposed = included
				.find::<peergrid::consortium::events::Proposed>()?
				.first()
				.map(|p| (p.proposal_index, p.proposal_hash));
			show::report(node, included);
			let Some((index, hash)) = proposed else { return Ok(()) };
			show::report(node, node.send(signer, &tx.consortium().vote(hash, index, true)).await?);
			println!(
				"motion {index} ({hash:?}) needs {threshold} of {members} members: each votes with\n  \
				 peergrid motion vote {hash:?} {index}\nand then anyone closes it with\n  \
				 peergrid motion close {hash:?} {index}"
			);
			Ok(())
		}
	}
}

/// Closes the motion `index` on the proposal `hash`: its call's weight and length from the
/// proposal itself, as the chain holds it.
pub async fn close(
	node: &Node,
	signer: &sr25519::Pair,
	hash: Hash,
	index: u32,
) -> Result<(), String> {
	let proposal = node.proposal(hash).await?.ok_or_else(|| format!("no open motion {hash:?}"))?;
	let weight = node.weight_of(&proposal).await?;
	let length = u32::try_from(proposal.encoded_size()).map_err(|e| e.to_string())?;
	let call = peergrid::tx().consortium().close(hash, index, weight, length);
	let included = node.send(signer, &call).await?;
	check_executed(node, &included)?;
	show::report(node, included);
	Ok(())
}

/// Fails if the events say a motion was executed and its call failed.
fn check_executed(node: &Node, included: &Included) -> Result<(), String> {
	for executed in included.find::<peergrid::consortium::events::Executed>()? {
		if let Err(error) = executed.result {
			return Err(format!(
				"the motion passed but its call failed: {}",
				node.describe(&error)
			));
		}
	}
	Ok(())
}
