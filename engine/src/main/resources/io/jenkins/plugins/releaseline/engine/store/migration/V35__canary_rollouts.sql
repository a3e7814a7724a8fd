-- Canary rollouts: one row per rollout (its persisted state machine) and the events that make its history
-- (weights set, analyses with their metrics, pauses, rollbacks). Times are epoch milliseconds.
-- Portable SQL: the same script runs on H2 2.x and PostgreSQL 15+.

CREATE TABLE release_line_canary (
    id                     VARCHAR(200)  NOT NULL PRIMARY KEY,
    controller_id          VARCHAR(100)  NOT NULL,
    router                 VARCHAR(100)  NOT NULL,
    stable_backend         VARCHAR(100)  NOT NULL,
    canary_backend         VARCHAR(100)  NOT NULL,
    stable_label           VARCHAR(200)  NOT NULL,
    canary_label           VARCHAR(200)  NOT NULL,
    plan_steps             VARCHAR(8000) NOT NULL,
    max_failed             INTEGER       NOT NULL,
    inconclusive_retries   INTEGER       NOT NULL,
    retry_interval_millis  BIGINT        NOT NULL,
    on_inconclusive        VARCHAR(20)   NOT NULL,
    deadline_millis        BIGINT        NOT NULL,
    state                  VARCHAR(20)   NOT NULL,
    step_index             INTEGER       NOT NULL,
    failed_analyses        INTEGER       NOT NULL,
    inconclusive_count     INTEGER       NOT NULL,
    router_failures        INTEGER       NOT NULL,
    step_started_millis    BIGINT,
    wake_at_millis         BIGINT,
    analysis_since_millis  BIGINT,
    paused_from            VARCHAR(20),
    pause_expires_millis   BIGINT,
    reason                 VARCHAR(2000),
    started_by             VARCHAR(200)  NOT NULL,
    created_millis         BIGINT        NOT NULL,
    updated_millis         BIGINT        NOT NULL,
    version                BIGINT        NOT NULL
);

CREATE INDEX release_line_canary_by_router ON release_line_canary (router, state);

CREATE TABLE release_line_canary_event (
    rollout_id   VARCHAR(200)   NOT NULL,
    seq          INTEGER        NOT NULL,
    at_millis    BIGINT         NOT NULL,
    kind         VARCHAR(30)    NOT NULL,
    state        VARCHAR(20)    NOT NULL,
    step_index   INTEGER        NOT NULL,
    weight       INTEGER        NOT NULL,
    verdict      VARCHAR(20),
    score        INTEGER,
    principal    VARCHAR(200),
    message      VARCHAR(2000),
    detail       VARCHAR(100000),
    PRIMARY KEY (rollout_id, seq)
);
