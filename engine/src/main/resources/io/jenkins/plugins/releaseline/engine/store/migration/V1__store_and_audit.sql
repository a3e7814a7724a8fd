-- Foundation: the audit chain and the change signals.
-- Portable SQL: the same script runs on H2 2.x and PostgreSQL 15+.
-- Version ranges: 1-9 store and audit, 10-19 andon, 20-29 promotion, 30-39 rollout, 40-49 toggles, 50-59 telemetry.

CREATE TABLE release_line_audit (
    seq                BIGINT        NOT NULL PRIMARY KEY,
    recorded_at_micros BIGINT        NOT NULL,
    controller_id      VARCHAR(100)  NOT NULL,
    principal          VARCHAR(200)  NOT NULL,
    action             VARCHAR(100)  NOT NULL,
    scope              VARCHAR(500)  NOT NULL,
    reason             VARCHAR(2000),
    state_before       VARCHAR(100000),
    state_after        VARCHAR(100000),
    prev_hash          CHAR(64)      NOT NULL,
    hash               CHAR(64)      NOT NULL
);

CREATE INDEX release_line_audit_by_scope ON release_line_audit (scope, seq);
CREATE INDEX release_line_audit_by_time ON release_line_audit (recorded_at_micros, seq);

-- The chain's head: appends lock this one row, so that the chain never forks, even with several
-- controllers writing to one PostgreSQL database.
CREATE TABLE release_line_audit_head (
    id        INTEGER  NOT NULL PRIMARY KEY,
    last_seq  BIGINT   NOT NULL,
    last_hash CHAR(64) NOT NULL
);
INSERT INTO release_line_audit_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- One counter per topic ('andon', 'toggles', ...), raised in the same transaction as a change, so that
-- other controllers sharing the database see that their in-memory snapshot is out of date.
CREATE TABLE release_line_change_signal (
    topic   VARCHAR(100) NOT NULL PRIMARY KEY,
    version BIGINT       NOT NULL
);
