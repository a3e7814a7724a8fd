-- Who may act in someone else's name from the release-line command (--as NAME). Everyone else acts as the person
-- the store knows is connected: the PostgreSQL role, or the operating-system user for an H2 file (docs/cli.md).
-- One row per person holding the grant; granting and revoking are recorded in the audit trail.
-- Portable SQL: the same script runs on H2 2.x and PostgreSQL 15+.

CREATE TABLE release_line_impersonation (
    grantee         VARCHAR(200)  NOT NULL PRIMARY KEY,
    granted_by      VARCHAR(200)  NOT NULL,
    granted_millis  BIGINT        NOT NULL
);
