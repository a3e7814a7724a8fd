-- Long-running operations (a promotion with its deploy body, a blue-green switch, a canary, a Lambda release) are
-- engine drivers: their state is a row here, advanced one bounded unit at a time by whoever drives them (a Jenkins
-- timer task, the CLI's loop), and their side effects are recorded before and after they happen, so that an
-- advance after a crash never repeats one. Times are epoch milliseconds.
-- Portable SQL: the same script runs on H2 2.x and PostgreSQL 15+.

CREATE TABLE release_line_driver (
    id              VARCHAR(200)    NOT NULL PRIMARY KEY,
    kind            VARCHAR(40)     NOT NULL,
    controller_id   VARCHAR(100)    NOT NULL,
    phase           VARCHAR(40)     NOT NULL,
    document        VARCHAR(100000) NOT NULL,
    version         BIGINT          NOT NULL,
    stop_reason     VARCHAR(2000),
    created_millis  BIGINT          NOT NULL,
    updated_millis  BIGINT          NOT NULL
);

CREATE INDEX release_line_driver_by_kind ON release_line_driver (kind, phase);

CREATE TABLE release_line_driver_effect (
    driver_id     VARCHAR(200)  NOT NULL,
    effect_id     VARCHAR(200)  NOT NULL,
    state         VARCHAR(10)   NOT NULL,
    detail        VARCHAR(2000),
    begun_millis  BIGINT        NOT NULL,
    done_millis   BIGINT,
    PRIMARY KEY (driver_id, effect_id)
);
