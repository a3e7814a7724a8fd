-- Andon: the freeze board. Portable SQL (H2 2.x and PostgreSQL 15). Times are epoch milliseconds.

-- Identifiers for freezes and overrides; the row lock orders concurrent pulls across controllers.
CREATE TABLE release_line_andon_counter (
    id      INTEGER NOT NULL PRIMARY KEY,
    next_id BIGINT  NOT NULL
);
INSERT INTO release_line_andon_counter (id, next_id) VALUES (1, 1);

-- One row per freeze, active or not. A freeze is active while released_at is NULL and it has not expired.
CREATE TABLE release_line_andon_freeze (
    id            BIGINT        NOT NULL PRIMARY KEY,
    scope_job     VARCHAR(500),
    scope_env     VARCHAR(100),
    stops         VARCHAR(20)   NOT NULL,
    origin        VARCHAR(20)   NOT NULL,
    line_job      VARCHAR(500),
    line_build    VARCHAR(500),
    pulled_by     VARCHAR(200)  NOT NULL,
    pulled_at     BIGINT        NOT NULL,
    reason        VARCHAR(2000) NOT NULL,
    link          VARCHAR(2000),
    expires_at    BIGINT,
    released_by   VARCHAR(200),
    released_at   BIGINT,
    release_note  VARCHAR(2000),
    controller_id VARCHAR(100)  NOT NULL
);
CREATE INDEX release_line_andon_freeze_open ON release_line_andon_freeze (released_at, id);
CREATE INDEX release_line_andon_freeze_line ON release_line_andon_freeze (line_job, released_at);

-- What happened to a freeze after it was pulled: extensions and break-glass overrides.
-- An override of a scheduled window has no freeze_id but the window's name.
CREATE TABLE release_line_andon_event (
    id           BIGINT        NOT NULL PRIMARY KEY,
    freeze_id    BIGINT,
    window_name  VARCHAR(100),
    kind         VARCHAR(20)   NOT NULL,
    principal    VARCHAR(200)  NOT NULL,
    at_millis    BIGINT        NOT NULL,
    reason       VARCHAR(2000),
    build        VARCHAR(500),
    expires_at   BIGINT
);
CREATE INDEX release_line_andon_event_freeze ON release_line_andon_event (freeze_id, id);
CREATE INDEX release_line_andon_event_window ON release_line_andon_event (window_name, at_millis);

-- Work (queue items, step calls) that a freeze held back, counted once per piece of work.
CREATE TABLE release_line_andon_blocked (
    freeze_id BIGINT       NOT NULL,
    work_id   VARCHAR(500) NOT NULL,
    at_millis BIGINT       NOT NULL,
    PRIMARY KEY (freeze_id, work_id)
);
