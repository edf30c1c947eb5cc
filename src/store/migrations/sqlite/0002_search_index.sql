-- Search joins each candidate to its newest assessment from the assessment side
-- (filters first): without this index that join scans every candidate per row.
CREATE INDEX candidates_latest ON candidates (latest);
