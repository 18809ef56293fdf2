//! Administrative calls: made by the sudo key on a development chain, or by a motion of the
//! consortium, which its members vote on and anyone closes.

use crate::{show, Via};
use peergrid_client::{
	api::{peergrid, RuntimeCall},
	motions::{two_thirds, Motion},
	node::Node,
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
			let threshold = two_thirds(members);
			let (included, motion) = node.propose(signer, call, threshold).await?;
			show::report(node, included);
			let Some(motion) = motion else { return Ok(()) };
			show::report(node, node.vote(signer, motion, true).await?);
			let Motion { index, hash } = motion;
			println!(
				"motion {index} ({hash:?}) needs {threshold} of {members} members: each votes with\n  \
				 peergrid motion vote {hash:?} {index}\nand then anyone closes it with\n  \
				 peergrid motion close {hash:?} {index}"
			);
			Ok(())
		}
	}
}
