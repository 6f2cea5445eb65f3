-- Fleet runs (docs/FLEET.md): one row per run, one per (run, device). Both databases: only types and statements
-- SQLite and PostgreSQL share. Times are UTC text as in V1. A device's result is recorded once per run:
-- UNIQUE (run_id, device), and the row turns 'done' in the same transaction that stores the audit.

CREATE TABLE fleet_run (
    id TEXT NOT NULL PRIMARY KEY,          -- e.g. 20261203-140501-3f2a
    created TEXT NOT NULL,
    source TEXT,                           -- the fleet file as named
    state TEXT NOT NULL,                   -- running, done, interrupted, cancelled
    shard TEXT,                            -- i/n when the run is one shard, else NULL
    defaults TEXT,                         -- JSON: the fleet file's defaults (FleetJson)
    devices INTEGER NOT NULL,
    updated TEXT NOT NULL,
    finished TEXT
);

CREATE TABLE fleet_device (
    run_id TEXT NOT NULL REFERENCES fleet_run (id),
    device TEXT NOT NULL,                  -- the fleet file's name
    seq INTEGER NOT NULL,                  -- order in the fleet file
    state TEXT NOT NULL,                   -- queued, running, done, failed
    status TEXT,                           -- pass, fail, partial, error (when done or failed)
    reason TEXT,
    audit_id BIGINT REFERENCES audits (id),
    attempts INTEGER NOT NULL DEFAULT 0,
    worker TEXT,
    updated TEXT NOT NULL,
    spec TEXT NOT NULL,                    -- JSON: the device's entry (FleetJson)
    UNIQUE (run_id, device)
);
CREATE INDEX fleet_device_state ON fleet_device (run_id, state);
