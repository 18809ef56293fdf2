-- The zones and meters of the chain, so that readings and trades can be summed by zone. Unlike
-- the history tables, these are not only rows of events: a chain's zones and meters made at
-- genesis have no events, so the indexer copies the chain's registry from its state at the
-- block before the first it indexes (or, for an index made before this migration, at its
-- checkpoint), and adds each zone and meter of a `ZoneCreated` or `MeterRegistered` event
-- after that. `block` is the block of that event, or of that copy.

CREATE TABLE zones (
	zone BIGINT PRIMARY KEY,
	name TEXT NOT NULL,
	-- The zone's operator when it was created or copied (`ZoneOperatorChanged` events say
	-- later changes).
	operator TEXT NOT NULL,
	block BIGINT NOT NULL
);

CREATE TABLE meters (
	meter BIGINT PRIMARY KEY,
	zone BIGINT NOT NULL,
	-- The utility's identifier of the meter, as text if it is UTF-8, else 0x-prefixed hex.
	external_id TEXT NOT NULL,
	-- The owner when it was registered or copied (`MeterOwnershipTransferred` events, and
	-- each reading's `owner`, say later owners).
	owner TEXT NOT NULL,
	-- `Consumption`, `Production` or `Bidirectional`.
	kind TEXT NOT NULL,
	capacity_w BIGINT NOT NULL,
	block BIGINT NOT NULL
);
CREATE INDEX meters_by_zone ON meters (zone);

-- The dashboard's and API's questions (docs/indexer.md): blocks by time, a zone's trades, an
-- account's trades and transfers.
CREATE INDEX blocks_by_time ON blocks (time_ms);
CREATE INDEX trades_by_seller_zone ON trades (seller_zone, block);
CREATE INDEX trades_by_buyer_zone ON trades (buyer_zone, block);
CREATE INDEX trades_by_buyer ON trades (buyer, block);
CREATE INDEX trades_by_seller ON trades (seller, block);
CREATE INDEX transfers_by_receiver ON transfers (receiver, block);
