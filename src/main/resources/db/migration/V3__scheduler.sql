-- db-scheduler's job table (com.github.kagkarlsson:db-scheduler 16.x, its PostgreSQL schema as published with it):
-- `portaudit fleet submit` puts one row per device here (task 'fleet-device', instance RUN/DEVICE), `portaudit worker`
-- claims rows with SELECT ... FOR UPDATE SKIP LOCKED, heartbeats them, and a row whose worker stopped heartbeating is
-- picked up again by another worker. Distributed runs need PostgreSQL; on SQLite the same statements just create an
-- unused table (SQLite accepts these type names), so that one set of migrations serves both databases.
CREATE TABLE scheduled_tasks (
    task_name TEXT NOT NULL,
    task_instance TEXT NOT NULL,
    task_data BYTEA,
    execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
    picked BOOLEAN NOT NULL,
    picked_by TEXT,
    last_success TIMESTAMP WITH TIME ZONE,
    last_failure TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat TIMESTAMP WITH TIME ZONE,
    version BIGINT NOT NULL,
    priority SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);
