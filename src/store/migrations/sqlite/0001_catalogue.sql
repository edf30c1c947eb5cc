-- The catalogue of assessments (SQLite). Numbers 0001-0099 belong to `store`,
-- 0100 and up to `serve`; src/store/migrations/postgres/ holds the same schema.

CREATE TABLE candidates (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    created TEXT NOT NULL,
    -- The newest assessment: the one search shows. Derived; assessments themselves
    -- are never changed.
    latest BIGINT
);

CREATE TABLE assessments (
    id INTEGER PRIMARY KEY,
    candidate_id BIGINT NOT NULL REFERENCES candidates (id),
    version BIGINT NOT NULL,
    created TEXT NOT NULL,
    actor TEXT NOT NULL,
    kind TEXT NOT NULL,
    assessed_on TEXT NOT NULL,
    sovra_version TEXT NOT NULL,
    lang TEXT NOT NULL,
    roots TEXT NOT NULL,
    policy_arg TEXT,
    policy_name TEXT NOT NULL,
    policy_layers TEXT NOT NULL,
    policy_files BLOB NOT NULL,
    facts_name TEXT,
    facts BLOB,
    vendor TEXT,
    description TEXT,
    verdict TEXT NOT NULL,
    score DOUBLE PRECISION,
    band TEXT,
    coverage DOUBLE PRECISION,
    seal BIGINT,
    gates BIGINT NOT NULL,
    deny BIGINT NOT NULL,
    warn BIGINT NOT NULL,
    allow BIGINT NOT NULL,
    report BLOB NOT NULL,
    report_sha256 TEXT NOT NULL,
    UNIQUE (candidate_id, version)
);
CREATE INDEX assessments_verdict ON assessments (verdict);
CREATE INDEX assessments_score ON assessments (score);
CREATE INDEX assessments_assessed_on ON assessments (assessed_on);
CREATE INDEX assessments_seal ON assessments (seal);

CREATE TABLE assessment_inputs (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes BIGINT NOT NULL,
    content BLOB NOT NULL,
    PRIMARY KEY (assessment_id, path)
);

-- Searchable facts with several values per assessment: `function`, `licence-class`,
-- `jurisdiction` (ISO country of a controlling vendor).
CREATE TABLE assessment_tags (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    kind TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (assessment_id, kind, value)
);
CREATE INDEX assessment_tags_value ON assessment_tags (kind, value, assessment_id);

CREATE TABLE findings (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    seq BIGINT NOT NULL,
    rule TEXT NOT NULL,
    level TEXT NOT NULL,
    subject TEXT NOT NULL,
    message TEXT NOT NULL,
    excepted BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, seq)
);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    subject TEXT NOT NULL,
    detail TEXT NOT NULL
);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
