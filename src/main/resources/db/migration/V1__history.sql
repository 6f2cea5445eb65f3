-- portaudit's history store. One set of migrations for SQLite and PostgreSQL: only types and statements
-- both understand; ${id_pk} is the one difference (INTEGER PRIMARY KEY AUTOINCREMENT / BIGSERIAL PRIMARY KEY).
-- Times are UTC text, yyyy-MM-ddTHH:mm:ss.SSSZ, so that they sort as text.

CREATE TABLE devices (
    id ${id_pk},
    device_key TEXT NOT NULL UNIQUE,       -- serial:..., machine-id:..., mac:..., name:... or content:...
    name TEXT UNIQUE,                      -- --device NAME
    serial TEXT,
    machine_id TEXT,
    mac TEXT,
    model TEXT,
    firmware TEXT,
    hostname TEXT,
    addresses TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL
);
CREATE INDEX devices_serial ON devices (serial);
CREATE INDEX devices_machine_id ON devices (machine_id);
CREATE INDEX devices_mac ON devices (mac);

CREATE TABLE audits (
    id ${id_pk},
    device_id BIGINT NOT NULL REFERENCES devices (id),
    content_hash TEXT NOT NULL UNIQUE,     -- SHA-256 of the result document: the same result is stored once
    recorded_at TEXT NOT NULL,
    collected_at TEXT NOT NULL,
    source TEXT,
    host TEXT,
    model TEXT,
    firmware TEXT,
    addresses TEXT,
    result TEXT NOT NULL,                  -- pass, fail, partial
    exit_code INTEGER NOT NULL,
    findings INTEGER NOT NULL,
    failing INTEGER NOT NULL,
    exposed INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    coverage TEXT NOT NULL,                -- JSON: views present, scanned ports per protocol
    document TEXT NOT NULL                 -- the whole result JSON
);
CREATE INDEX audits_device_time ON audits (device_id, collected_at, id);

CREATE TABLE ports (
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    device_id BIGINT NOT NULL,
    protocol TEXT NOT NULL,
    family TEXT NOT NULL,
    port INTEGER NOT NULL,
    bind_address TEXT NOT NULL,            -- '' when no listener
    scope TEXT,
    firewall TEXT,                         -- accept, drop, reject, unknown; NULL: no ruleset for this family
    program TEXT,                          -- process names (comm), never pid or inode
    exe TEXT,                              -- argv[0] of the owners
    scan_state TEXT,
    service TEXT,
    product TEXT,
    version TEXT,
    exposed INTEGER NOT NULL
);
CREATE INDEX ports_audit ON ports (audit_id);
CREATE INDEX ports_device_port ON ports (device_id, protocol, port);

CREATE TABLE findings (
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    finding_id TEXT NOT NULL,
    severity TEXT NOT NULL,
    status TEXT NOT NULL,
    protocol TEXT,
    family TEXT,
    port_from INTEGER,
    port_to INTEGER,
    title TEXT
);
CREATE INDEX findings_audit ON findings (audit_id);

CREATE TABLE baselines (
    model TEXT NOT NULL PRIMARY KEY,
    audit_id BIGINT NOT NULL REFERENCES audits (id),
    set_at TEXT NOT NULL
);
