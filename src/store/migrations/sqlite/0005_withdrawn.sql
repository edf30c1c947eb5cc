-- A candidate withdrawn from the catalogue (`sovra catalog withdraw`, `DELETE
-- /api/v1/candidates/{id}`): no longer found by search or listed under its functions,
-- its page says so. Its assessments, inputs and audit records stay: nothing stored is
-- ever deleted. A new assessment of the candidate takes it back in.
ALTER TABLE candidates ADD COLUMN withdrawn_at TEXT;
ALTER TABLE candidates ADD COLUMN withdrawn_by TEXT;
ALTER TABLE candidates ADD COLUMN withdrawn_reason TEXT;
