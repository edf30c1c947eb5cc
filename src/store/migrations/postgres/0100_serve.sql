-- sovra serve: users, API tokens, sessions and the job queue (PostgreSQL).
-- Times are milliseconds since the epoch.
CREATE TABLE IF NOT EXISTS serve_users (
    name TEXT PRIMARY KEY NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reader', 'assessor', 'admin')),
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS serve_tokens (
    digest TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('reader', 'assessor', 'admin')),
    created_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS serve_sessions (
    digest TEXT PRIMARY KEY NOT NULL,
    user_name TEXT NOT NULL,
    csrf TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE IF NOT EXISTS serve_jobs (
    id TEXT PRIMARY KEY NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
    step TEXT NOT NULL,
    actor TEXT NOT NULL,
    created_ms BIGINT NOT NULL,
    updated_ms BIGINT NOT NULL,
    owner TEXT,
    lease_until_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    assessment_id BIGINT,
    candidate_id BIGINT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS serve_jobs_claim ON serve_jobs (state, created_ms);
CREATE TABLE IF NOT EXISTS serve_job_files (
    job_id TEXT NOT NULL REFERENCES serve_jobs (id),
    seq BIGINT NOT NULL,
    name TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS serve_audit (
    id BIGSERIAL PRIMARY KEY,
    at_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);
