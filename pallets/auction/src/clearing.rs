//! Uniform-price clearing of one product from its aggregate curves, and the cumulative
//! rounding by which a rationed price level is shared among its orders. Pure functions: the
//! pallet applies them to storage a step at a time, the property test to random books.

use crate::types::{Clearing, Side, SideRule};
use peergrid_primitives::Wh;

/// The clearing of a product whose sides have these aggregate curves (each one's energy per
/// limit price, sorted by ascending price, each price once, no level empty); `None` if no
/// bid meets an offer.
///
/// The price is the limit price `p`, among all the orders' limit prices, that trades the most
/// energy: `min(S(p), D(p))`, where `S(p)` is the energy offered at `p` or less and `D(p)`
/// the energy bid at `p` or more. Ties go to the smallest surplus `|S(p) - D(p)|`, then to
/// the lowest price.
pub fn clear<P: Ord + Copy>(bids: &[(P, Wh)], offers: &[(P, Wh)]) -> Option<Clearing<P>> {
	let total_bid = bids.iter().fold(0, |sum: Wh, (_, q)| sum.saturating_add(*q));
	let (mut supply, mut below): (Wh, Wh) = (0, 0);
	let (mut next_offer, mut next_bid) = (offers.iter().peekable(), bids.iter().peekable());
	// The best so far: (price, volume, surplus).
	let mut best: Option<(P, Wh, Wh)> = None;
	loop {
		let price = match (next_offer.peek(), next_bid.peek()) {
			(None, None) => break,
			(Some((o, _)), None) => *o,
			(None, Some((b, _))) => *b,
			(Some((o, _)), Some((b, _))) => *o.min(b),
		};
		while let Some((_, q)) = next_offer.next_if(|(o, _)| *o == price) {
			supply = supply.saturating_add(*q);
		}
		let demand = total_bid.saturating_sub(below);
		while let Some((_, q)) = next_bid.next_if(|(b, _)| *b == price) {
			below = below.saturating_add(*q);
		}
		let (volume, surplus) = (supply.min(demand), supply.abs_diff(demand));
		// Prices come in ascending order, so a full tie keeps the lower one.
		let better = match best {
			None => volume > 0,
			Some((_, v, s)) => volume > v || (volume == v && surplus < s),
		};
		if better {
			best = Some((price, volume, surplus));
		}
	}
	let (price, volume, _) = best?;
	let offers_rule = side_rule(offers.iter().filter(|(p, _)| *p <= price), volume)?;
	let bids_rule = side_rule(bids.iter().rev().filter(|(p, _)| *p >= price), volume)?;
	Some(Clearing { price, volume, bids: bids_rule, offers: offers_rule })
}

/// How a side whose levels at or inside the clearing price are `levels`, best first, shares
/// `volume`: whole levels while they fit, the rest to the level where it runs out. `None`
/// only if the levels hold less than `volume`, which [`clear`] never asks.
fn side_rule<'a, P: Copy + 'a>(
	levels: impl Iterator<Item = &'a (P, Wh)>,
	volume: Wh,
) -> Option<SideRule<P>> {
	let mut before: Wh = 0;
	for (price, quantity) in levels {
		let rest = volume.saturating_sub(before);
		if *quantity >= rest {
			return Some(SideRule { marginal: *price, rationed: rest, at_marginal: *quantity });
		}
		before = before.saturating_add(*quantity);
	}
	frame_support::defensive!("the levels inside the clearing price hold its volume");
	None
}

/// What an order of `side` at limit `price` for `quantity` Wh is allocated by `rule`, and
/// where cumulative rounding then stands: `cumulative` is the energy of the same level's
/// orders before it, in the order they are allocated.
pub fn allocation<P: Ord>(
	rule: &SideRule<P>,
	side: Side,
	price: &P,
	quantity: Wh,
	cumulative: Wh,
) -> (Wh, Wh) {
	let better = match side {
		Side::Bid => *price > rule.marginal,
		Side::Offer => *price < rule.marginal,
	};
	if better {
		(quantity, cumulative)
	} else if *price == rule.marginal {
		let after = cumulative.saturating_add(quantity);
		(share(cumulative, quantity, rule.rationed, rule.at_marginal), after)
	} else {
		(0, cumulative)
	}
}

/// Cumulative rounding: the part of `portion` that falls to a member of `quantity` among
/// members worth `whole` in all, the members before it being worth `before`:
/// `floor((before + quantity) * portion / whole) - floor(before * portion / whole)`. Over all
/// members the parts add up to `portion` exactly, and each is within one of its exact
/// `quantity * portion / whole`.
pub fn share(before: Wh, quantity: Wh, portion: Wh, whole: Wh) -> Wh {
	if whole == 0 {
		return 0;
	}
	let upto = |x: Wh| u128::from(x).saturating_mul(u128::from(portion)) / u128::from(whole);
	let part = upto(before.saturating_add(quantity)).saturating_sub(upto(before));
	Wh::try_from(part).unwrap_or(quantity)
}
