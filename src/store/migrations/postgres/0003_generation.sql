-- The catalogue's generation: raised in the transaction of every audited write
-- (`Tx::commit`), so a reader holding a copy of the catalogue in memory (the search
-- read model, src/store/read.rs) learns with one read of one row whether it is current.
CREATE TABLE catalogue_state (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    generation BIGINT NOT NULL
);
INSERT INTO catalogue_state (id, generation) VALUES (1, (SELECT COUNT(*) FROM audit_log));
