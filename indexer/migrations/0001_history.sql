-- The history of a PeerGrid chain, one row per finalized block and per event of it. The same
-- text runs on SQLite and on PostgreSQL (types both know: BIGINT, INTEGER, TEXT). Accounts
-- are SS58 text, hashes 0x-prefixed hex, energy in Wh (BIGINT), money in the native token's
-- smallest unit (planck) as exact decimal text, since it is a u128 that BIGINT cannot hold
-- (PostgreSQL: `CAST(price_per_kwh AS NUMERIC)`; SQLite sums it as REAL). Every row of a
-- block is written in the block's own transaction, so the highest block is the checkpoint: an
-- index is never half a block ahead. This file is frozen once released: a change of the
-- schema is a new migration after it.

-- Every finalized block indexed, from the first one the index started at.
CREATE TABLE blocks (
	number BIGINT PRIMARY KEY,
	hash TEXT NOT NULL UNIQUE,
	parent_hash TEXT NOT NULL,
	-- The block's timestamp (Timestamp.Now), ms since the Unix epoch.
	time_ms BIGINT NOT NULL,
	spec_version BIGINT NOT NULL,
	extrinsics INTEGER NOT NULL,
	events INTEGER NOT NULL,
	-- Credits minted and retired up to and including this block, as the index counts them from
	-- the events (from the chain's own totals before the index's first block). Each equals the
	-- chain's Credits.TotalMinted / TotalRetired at this block, or the block is not written.
	credits_minted_wh BIGINT NOT NULL,
	credits_retired_wh BIGINT NOT NULL
);

-- Every event of every pallet, in words (`Pallet.Event { field: value }`, accounts in SS58).
CREATE TABLE events (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	-- The extrinsic that caused it (its index in the block), or NULL (block initialisation
	-- and finalisation).
	extrinsic INTEGER,
	pallet TEXT NOT NULL,
	name TEXT NOT NULL,
	text TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX events_by_name ON events (pallet, name, block);

-- Readings.ReadingAccepted and Readings.ReadingRejected.
CREATE TABLE readings (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	meter BIGINT NOT NULL,
	"interval" BIGINT NOT NULL,
	oracle TEXT NOT NULL,
	-- `accepted`, or the pallet's error that rejected it (e.g. `Readings.IntervalNotNewer`).
	status TEXT NOT NULL,
	-- The rest only for an accepted reading.
	owner TEXT,
	imported_wh BIGINT,
	exported_wh BIGINT,
	consumed_wh BIGINT,
	credits_minted_wh BIGINT,
	PRIMARY KEY (block, idx)
);
CREATE INDEX readings_by_meter ON readings (meter, "interval");

-- Credits.Minted, Credits.Transferred and Credits.Retired.
CREATE TABLE credits (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	-- `minted`, `transferred` or `retired`.
	kind TEXT NOT NULL,
	account TEXT NOT NULL,
	-- The receiver of a transfer.
	counterparty TEXT,
	amount_wh BIGINT NOT NULL,
	-- Of a retirement: the consumption its credits did not cover.
	uncovered_wh BIGINT,
	PRIMARY KEY (block, idx)
);
CREATE INDEX credits_by_account ON credits (account, block);
CREATE INDEX credits_by_counterparty ON credits (counterparty, block);

-- Market.OrderPlaced.
CREATE TABLE orders (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	order_id BIGINT NOT NULL,
	owner TEXT NOT NULL,
	-- `buy` or `sell`.
	side TEXT NOT NULL,
	zone BIGINT NOT NULL,
	amount_wh BIGINT NOT NULL,
	price_per_kwh TEXT NOT NULL,
	expires_at BIGINT,
	PRIMARY KEY (block, idx)
);
CREATE INDEX orders_by_id ON orders (order_id);

-- Market.Trade.
CREATE TABLE trades (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	buy_order BIGINT NOT NULL,
	sell_order BIGINT NOT NULL,
	buyer TEXT NOT NULL,
	seller TEXT NOT NULL,
	buyer_zone BIGINT NOT NULL,
	seller_zone BIGINT NOT NULL,
	amount_wh BIGINT NOT NULL,
	price_per_kwh TEXT NOT NULL,
	fee_per_kwh TEXT NOT NULL,
	fee_to TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX trades_by_block ON trades (block);

-- Balances.Transfer.
CREATE TABLE transfers (
	block BIGINT NOT NULL REFERENCES blocks (number),
	idx INTEGER NOT NULL,
	sender TEXT NOT NULL,
	receiver TEXT NOT NULL,
	amount TEXT NOT NULL,
	PRIMARY KEY (block, idx)
);
CREATE INDEX transfers_by_sender ON transfers (sender, block);
