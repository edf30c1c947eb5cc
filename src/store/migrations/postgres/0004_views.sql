-- The report view model of an assessment in each language other than its own
-- (`assessments.lang`), from the same run, so a page in that language shows the
-- findings in it. Derived like `assessments.report`, and checked with it by reproduce.
CREATE TABLE assessment_views (
    assessment_id BIGINT NOT NULL REFERENCES assessments (id),
    lang TEXT NOT NULL,
    report BYTEA NOT NULL,
    PRIMARY KEY (assessment_id, lang)
);
