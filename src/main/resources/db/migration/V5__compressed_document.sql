-- The result document compressed (gzip) in document_gz: a 1,000-port audit's JSON is ~540 KB as text and ~10 KB
-- gzipped, most of a store's size. New audits write document_gz and leave document empty (''): document stays
-- NOT NULL, which SQLite cannot change in place. Audits recorded before this migration keep their text in document
-- (document_gz NULL) and are read from there. The content hash stays the hash of the uncompressed text.
-- BYTEA as in V3 and V4 (SQLite keeps the bytes as a BLOB).
ALTER TABLE audits ADD COLUMN document_gz BYTEA;

-- The exposed rows of a device (history's lifecycles, the dashboard's device page): a partial index holding only
-- exposed rows and every column those reads need, instead of ports_device_port over every row (1,000 per audit,
-- each audit touching hundreds of its pages when recorded; each read then visiting every row of every audit).
DROP INDEX ports_device_port;
CREATE INDEX ports_exposed ON ports (device_id, protocol, port, family, audit_id) WHERE exposed = 1;
