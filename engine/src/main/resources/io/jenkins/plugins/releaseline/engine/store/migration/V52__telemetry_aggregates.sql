-- Telemetry: the folded aggregates, stored with the high-water marks they were folded up to, so that a controller
-- start (or a second controller) reads them and folds only the ledger records after the marks, instead of the
-- whole ledger. One stored state per failure window (the only setting the fold depends on). Portable SQL (H2 2.x
-- and PostgreSQL 15).

-- The marks: ledger (release_line_promotion_event), recorded changes and failed verifications.
CREATE TABLE release_line_telemetry_aggregate (
    failure_window_micros  BIGINT        NOT NULL PRIMARY KEY,
    format                 INTEGER       NOT NULL,
    event_mark             BIGINT        NOT NULL,
    change_mark            BIGINT        NOT NULL,
    verification_mark      BIGINT        NOT NULL,
    parts                  INTEGER       NOT NULL,
    bytes                  BIGINT        NOT NULL,
    written_micros         BIGINT        NOT NULL,
    controller_id          VARCHAR(100)  NOT NULL
);

-- The aggregates themselves, a binary encoding cut into parts of at most 1 MiB, replaced whole on each write.
CREATE TABLE release_line_telemetry_aggregate_part (
    failure_window_micros  BIGINT        NOT NULL,
    part                   INTEGER       NOT NULL,
    data                   BYTEA         NOT NULL,
    PRIMARY KEY (failure_window_micros, part)
);
