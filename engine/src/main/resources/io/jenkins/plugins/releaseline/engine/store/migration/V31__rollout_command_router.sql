-- Command routers: the pipeline's own code moves traffic; this is what it last reported, per router.
-- Portable SQL: the same script runs on H2 2.x and PostgreSQL 15+. Times are epoch milliseconds.

CREATE TABLE release_line_command_router (
    router       VARCHAR(100)  NOT NULL PRIMARY KEY,
    split        VARCHAR(1000) NOT NULL,
    reported_at  BIGINT        NOT NULL,
    reported_by  VARCHAR(200)  NOT NULL,
    detail       VARCHAR(4000)
);
