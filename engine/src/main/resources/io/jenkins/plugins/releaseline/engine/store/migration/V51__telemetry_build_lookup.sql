-- Telemetry: the build page asks "which rollbacks did this build perform" to offer their postmortem starters.
-- Portable SQL (H2 2.x and PostgreSQL 15).
CREATE INDEX release_line_telemetry_promotion_job ON release_line_promotion (job_path, id);
