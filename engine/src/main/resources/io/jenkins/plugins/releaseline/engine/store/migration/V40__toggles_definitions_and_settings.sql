-- Feature toggles: the environments they are set for, their definitions, and one setting per toggle and
-- environment (JSON of the rules, rollout and default variant). Portable SQL for H2 2.x and PostgreSQL 15.

CREATE TABLE release_line_toggle_environment (
    name              VARCHAR(100) NOT NULL PRIMARY KEY,
    sort_order        INTEGER      NOT NULL,
    created_at_micros BIGINT       NOT NULL
);

CREATE TABLE release_line_toggle (
    toggle_key        VARCHAR(100)   NOT NULL PRIMARY KEY,
    definition_json   VARCHAR(60000) NOT NULL,
    created_at_micros BIGINT         NOT NULL,
    -- the last change of the definition or of any environment's setting: where staleness is counted from
    changed_at_micros BIGINT         NOT NULL
);

CREATE TABLE release_line_toggle_setting (
    toggle_key        VARCHAR(100)    NOT NULL,
    environment       VARCHAR(100)    NOT NULL,
    enabled           BOOLEAN         NOT NULL,
    setting_json      VARCHAR(100000) NOT NULL,
    changed_at_micros BIGINT          NOT NULL,
    PRIMARY KEY (toggle_key, environment),
    CONSTRAINT release_line_toggle_setting_toggle FOREIGN KEY (toggle_key)
        REFERENCES release_line_toggle (toggle_key) ON DELETE CASCADE,
    CONSTRAINT release_line_toggle_setting_env FOREIGN KEY (environment)
        REFERENCES release_line_toggle_environment (name)
);
