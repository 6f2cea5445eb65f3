-- The raw captures an audit was made from (docs/STORE.md, "Raw captures"): one row per capture of an audit, its text
-- compressed (gzip) in capture_blobs, stored once per content (SHA-256 of the text) however many audits share it.
-- A capture beyond the per-audit cap keeps its row (name, kind, size) with blob_hash NULL: "not kept, over the cap".
-- Both databases: only types and statements SQLite and PostgreSQL share (BYTEA as in V3).

CREATE TABLE capture_blobs (
    hash TEXT NOT NULL PRIMARY KEY,        -- SHA-256 of the text (UTF-8)
    size BIGINT NOT NULL,                  -- bytes of the text before compression
    data BYTEA NOT NULL                    -- gzip of the text
);

CREATE TABLE audit_captures (
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    seq INTEGER NOT NULL,                  -- order in the snapshot
    name TEXT NOT NULL,                    -- file name, unique per audit: iptables-save.txt, nmap-xml.xml, ...
    kind TEXT NOT NULL,                    -- DeviceSnapshot's kind, or scan-xml for the nmap XML written from the audit's scan
    command TEXT,                          -- the command or file it came from
    source TEXT,
    exit_status INTEGER,
    truncated INTEGER NOT NULL,            -- 1: cut at collection (size bound or timeout)
    netns TEXT,
    size BIGINT NOT NULL,                  -- bytes of the text
    blob_hash TEXT REFERENCES capture_blobs (hash),   -- NULL: not kept (over the per-audit cap)
    PRIMARY KEY (audit_id, seq),
    UNIQUE (audit_id, name)
);
CREATE INDEX audit_captures_blob ON audit_captures (blob_hash);

-- The fleet page's first load reads every audit in brief: a covering index, so that it never reads the audits'
-- rows (which hold the documents).
CREATE INDEX audits_brief ON audits (device_id, collected_at, id, firmware, result, findings, failing, exposed);
