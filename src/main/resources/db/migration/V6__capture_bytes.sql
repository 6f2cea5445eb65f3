-- A capture's exact bytes (docs/STORE.md, "Raw captures"): a pasted input (--input FILE) is kept as the bytes of its file,
-- not as the text decoded from them, so that an NBSP, a Shift_JIS or EUC-JP byte or a byte-order mark stays as it was.
-- capture_blobs is unchanged: data is the gzip of the bytes kept and hash their SHA-256; for the rows written before
-- this migration those bytes are the UTF-8 of the decoded text, so exact = 0 and charset 'UTF-8' says what they are.
-- Both databases: only types and statements SQLite and PostgreSQL share.
ALTER TABLE audit_captures ADD COLUMN exact INTEGER NOT NULL DEFAULT 0;   -- 1: the bytes of the file as given; 0: the UTF-8 of the text portaudit had
ALTER TABLE audit_captures ADD COLUMN charset TEXT;                       -- the bytes' encoding (UTF-8, Shift_JIS, EUC-JP, UTF-16LE, ...); NULL: unknown
UPDATE audit_captures SET charset = 'UTF-8';
