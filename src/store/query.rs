//! Writing and reading the catalogue: `insert` (one transaction with its audit record),
//! the lists and details the CLI shows, search over the denormalised summary columns,
//! per-function alternatives, history and the diff of two versions.
//!
//! The records here are what `sovra catalog --format json` prints and what `serve`
//! answers with; their JSON is documented in `docs/catalog.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

use super::capture::{Captured, Recorded, StoredFile};
use super::run::{Material, Prepared, Reproduced};
use super::{Backend, Store, int, now, opt_int, opt_real, opt_text, pack, text, unpack};
use crate::digest::sha256_hex;
use crate::error::{Error, Result};

/// One stored assessment, as lists show it.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub(crate) struct AssessmentRow {
    pub id: i64,
    pub candidate_id: i64,
    pub candidate: String,
    /// 1 for the first assessment of the candidate, then 2, 3, …
    pub version: i64,
    /// When it was stored (RFC 3339, UTC).
    pub created: String,
    pub actor: String,
    /// `assessment` or `import`.
    pub kind: String,
    /// The date the rules judged against (`YYYY-MM-DD`).
    pub assessed_on: String,
    pub sovra_version: String,
    /// The policy's last layer.
    pub policy: String,
    pub verdict: String,
    pub score: Option<f64>,
    pub band: Option<String>,
    pub coverage: Option<f64>,
    /// Indicative SEAL level (0–4) of the CSF view.
    pub seal: Option<i64>,
    /// Findings per level.
    pub counts: Counts,
    pub vendor: Option<String>,
    pub description: Option<String>,
}

/// Findings per level, excepted ones left out.
#[derive(Debug, Clone, Copy, Serialize, PartialEq, Eq)]
pub(crate) struct Counts {
    pub gate: i64,
    pub deny: i64,
    pub warn: i64,
    pub allow: i64,
}

/// One finding as stored.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct FindingRow {
    pub rule: String,
    /// `gate`, `deny`, `warn`, `allow`.
    pub level: String,
    /// The package (`name@version`), component or other subject; empty when none.
    pub subject: String,
    /// In English.
    pub message: String,
    /// A policy exception covers it.
    pub excepted: bool,
}

/// One stored input file.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct InputRow {
    /// Under the stored root (`opendesk/candidate.toml`).
    pub path: String,
    pub sha256: String,
    pub bytes: i64,
}

/// Everything stored about one assessment but the input bytes.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct AssessmentDetail {
    #[serde(flatten)]
    pub row: AssessmentRow,
    /// The policy's layers, base first, joined by ` → `.
    pub policy_layers: String,
    /// The policy as named (a bundled name or a path).
    pub policy_arg: Option<String>,
    /// The facts file, under the stored root.
    pub facts: Option<String>,
    /// The inputs as given, under the stored root.
    pub roots: Vec<String>,
    pub inputs: Vec<InputRow>,
    /// Files found and not stored (links, special files), with the reason.
    pub left_out: Vec<String>,
    pub functions: Vec<String>,
    pub licence_classes: Vec<String>,
    pub jurisdictions: Vec<String>,
    pub findings: Vec<FindingRow>,
    /// SHA-256 of the report JSON.
    pub report_sha256: String,
}

/// A candidate's newest assessment with its searchable facts.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Summary {
    #[serde(flatten)]
    pub row: AssessmentRow,
    pub functions: Vec<String>,
    pub licence_classes: Vec<String>,
    pub jurisdictions: Vec<String>,
}

/// A search of the candidates (each by its newest assessment). Every filter is
/// optional; text matches case-insensitively.
#[derive(Debug, Clone, Default)]
pub(crate) struct Search {
    /// Part of the candidate's name, vendor, description or a function.
    pub q: Option<String>,
    /// A function (a candidate manifest's function or a publiccode.yml category).
    pub function: Option<String>,
    /// A licence class some component (or runtime package) is of.
    pub licence_class: Option<String>,
    /// ISO 3166 code of a controlling vendor's country.
    pub jurisdiction: Option<String>,
    pub verdict: Option<String>,
    pub score_min: Option<f64>,
    pub score_max: Option<f64>,
    /// Lowest indicative SEAL level.
    pub seal_min: Option<i64>,
    /// Assessed on or after (`YYYY-MM-DD`).
    pub date_from: Option<String>,
    /// Assessed on or before (`YYYY-MM-DD`).
    pub date_to: Option<String>,
    /// `name` (default), `score` (highest first) or `date` (newest first).
    pub sort: Option<String>,
    /// At most this many (default 50, at most 1000).
    pub limit: Option<i64>,
    pub offset: Option<i64>,
}

/// One page of search results.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SearchPage {
    /// Matches in all.
    pub total: i64,
    pub offset: i64,
    pub items: Vec<Summary>,
}

/// The assessed alternatives of one function.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FunctionEntry {
    pub function: String,
    /// Alternatives whose verdict is `compliant`: two or more make the function
    /// substitutable.
    pub compliant: usize,
    /// Best first: compliant before review before not assessed before non-compliant,
    /// then by score.
    pub alternatives: Vec<AssessmentRow>,
}

/// A candidate with its history.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CandidateDetail {
    pub id: i64,
    pub name: String,
    pub latest: Summary,
    /// Every version, oldest first.
    pub history: Vec<AssessmentRow>,
    /// When, by whom and why it left the catalogue, if it did.
    pub withdrawn: Option<Withdrawal>,
}

/// A candidate's withdrawal from the catalogue.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct Withdrawal {
    pub at: String,
    pub by: String,
    pub reason: String,
}

/// How one assessment differs from another.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Diff {
    pub from: AssessmentRow,
    pub to: AssessmentRow,
    pub verdict_changed: bool,
    /// `to`'s score minus `from`'s, when both have one.
    pub score_change: Option<f64>,
    pub added: Vec<FindingRow>,
    pub removed: Vec<FindingRow>,
    /// Same rule, subject and message at another level (or exception).
    pub changed: Vec<FindingChange>,
}

/// A finding whose level or exception changed.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct FindingChange {
    pub rule: String,
    pub subject: String,
    pub message: String,
    pub from_level: String,
    pub to_level: String,
    pub from_excepted: bool,
    pub to_excepted: bool,
}

/// One audit record.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct AuditEntry {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
}

/// Columns of [`AssessmentRow`], `a` the assessment and `c` the candidate.
pub(super) const ROW: &str = "a.id, a.candidate_id, c.name AS candidate, a.version, a.created, a.actor, \
     a.kind, a.assessed_on, a.sovra_version, a.policy_name, a.verdict, a.score, a.band, \
     a.coverage, a.seal, a.gates, a.deny, a.warn, a.allow, a.vendor, a.description";

pub(super) fn row(r: &AnyRow) -> AssessmentRow {
    AssessmentRow {
        id: int(r, "id"),
        candidate_id: int(r, "candidate_id"),
        candidate: text(r, "candidate"),
        version: int(r, "version"),
        created: text(r, "created"),
        actor: text(r, "actor"),
        kind: text(r, "kind"),
        assessed_on: text(r, "assessed_on"),
        sovra_version: text(r, "sovra_version"),
        policy: text(r, "policy_name"),
        verdict: text(r, "verdict"),
        score: opt_real(r, "score"),
        band: opt_text(r, "band"),
        coverage: opt_real(r, "coverage"),
        seal: opt_int(r, "seal"),
        counts: Counts {
            gate: int(r, "gates"),
            deny: int(r, "deny"),
            warn: int(r, "warn"),
            allow: int(r, "allow"),
        },
        vendor: opt_text(r, "vendor"),
        description: opt_text(r, "description"),
    }
}

/// What the `roots` column holds: how the stored inputs are run again.
#[derive(Debug, Serialize, serde::Deserialize)]
struct RunInfo {
    roots: Vec<String>,
    max_file_bytes: u64,
    left_out: Vec<String>,
}

/// Rows per multi-row `INSERT`.
const CHUNK: usize = 200;

impl Store {
    /// Stores `p` as the next version of its candidate, with its audit record, in one
    /// transaction; returns the stored row.
    pub(crate) async fn insert(&self, p: &Prepared, actor: &str) -> Result<AssessmentRow> {
        let mut tx = self.begin().await?;
        let (id, _) = self.insert_in(&mut tx, p, actor).await?;
        tx.commit().await?;
        self.row(id)
            .await?
            .ok_or_else(|| Error::External(format!("assessment {id} vanished")))
    }

    /// [`Store::insert`] inside the caller's transaction (the server completes its job
    /// in the same one); returns the assessment's and the candidate's ids.
    pub(crate) async fn insert_in(
        &self,
        tx: &mut super::Tx,
        p: &Prepared,
        actor: &str,
    ) -> Result<(i64, i64)> {
        let e = |err: sqlx::Error| self.err(&err);
        let created = now();
        sqlx::query(
            "INSERT INTO candidates (name, created) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING",
        )
        .bind(&p.name)
        .bind(&created)
        .execute(tx.conn())
        .await
        .map_err(e)?;
        let lock = match self.backend {
            Backend::Postgres => "SELECT id FROM candidates WHERE name = $1 FOR UPDATE",
            Backend::Sqlite => "SELECT id FROM candidates WHERE name = $1",
        };
        let candidate_id: i64 = sqlx::query(lock)
            .bind(&p.name)
            .fetch_one(tx.conn())
            .await
            .map_err(e)?
            .try_get(0)
            .map_err(e)?;
        let version: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM assessments WHERE candidate_id = $1",
        )
        .bind(candidate_id)
        .fetch_one(tx.conn())
        .await
        .map_err(e)?
        .try_get(0)
        .map_err(e)?;
        let info = RunInfo {
            roots: p.material.captured.roots.clone(),
            max_file_bytes: p.material.max_file_bytes,
            left_out: p.material.captured.left_out.clone(),
        };
        let info = serde_json::to_string(&info)
            .map_err(|err| Error::External(format!("cannot serialise: {err}")))?;
        let recorded = serde_json::to_vec(&p.recorded)
            .map_err(|err| Error::External(format!("cannot serialise the policy: {err}")))?;
        let facts = match &p.material.facts {
            Some(f) => Some(pack(&f.bytes)?),
            None => None,
        };
        let id: i64 = sqlx::query(
            "INSERT INTO assessments (candidate_id, version, created, actor, kind, assessed_on, \
             sovra_version, lang, roots, policy_arg, policy_name, policy_layers, policy_files, \
             facts_name, facts, vendor, description, verdict, score, band, coverage, seal, \
             gates, deny, warn, allow, report, report_sha256) VALUES ($1, $2, $3, $4, $5, $6, \
             $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, \
             $24, $25, $26, $27, $28) RETURNING id",
        )
        .bind(candidate_id)
        .bind(version)
        .bind(&created)
        .bind(actor)
        .bind(&p.kind)
        .bind(&p.date)
        .bind(env!("CARGO_PKG_VERSION"))
        .bind(&p.lang)
        .bind(info)
        .bind(&p.material.policy)
        .bind(&p.policy_name)
        .bind(&p.policy_layers)
        .bind(pack(&recorded)?)
        .bind(p.material.facts.as_ref().map(|f| f.path.clone()))
        .bind(facts)
        .bind(&p.vendor)
        .bind(&p.description)
        .bind(&p.verdict)
        .bind(p.score)
        .bind(&p.band)
        .bind(p.coverage)
        .bind(p.seal)
        .bind(p.counts[0])
        .bind(p.counts[1])
        .bind(p.counts[2])
        .bind(p.counts[3])
        .bind(pack(p.report.as_bytes())?)
        .bind(sha256_hex(p.report.as_bytes()))
        .fetch_one(tx.conn())
        .await
        .map_err(e)?
        .try_get(0)
        .map_err(e)?;
        for chunk in p.material.captured.files.chunks(CHUNK) {
            let sql = values_sql(
                "INSERT INTO assessment_inputs (assessment_id, path, sha256, bytes, content) VALUES ",
                5,
                chunk.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for f in chunk {
                q = q
                    .bind(id)
                    .bind(f.path.clone())
                    .bind(sha256_hex(&f.bytes))
                    .bind(i64::try_from(f.bytes.len()).unwrap_or(i64::MAX))
                    .bind(pack(&f.bytes)?);
            }
            q.execute(tx.conn()).await.map_err(e)?;
        }
        let tags: Vec<&(String, String)> = p.tags.iter().collect();
        for chunk in tags.chunks(CHUNK) {
            let sql = values_sql(
                "INSERT INTO assessment_tags (assessment_id, kind, value) VALUES ",
                3,
                chunk.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (kind, value) in chunk {
                q = q.bind(id).bind(kind.clone()).bind(value.clone());
            }
            q.execute(tx.conn()).await.map_err(e)?;
        }
        for (n, chunk) in p.findings.chunks(CHUNK).enumerate() {
            let sql = values_sql(
                "INSERT INTO findings (assessment_id, seq, rule, level, subject, message, \
                 excepted) VALUES ",
                7,
                chunk.len(),
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for (i, f) in chunk.iter().enumerate() {
                let seq = i64::try_from(n * CHUNK + i).unwrap_or(i64::MAX);
                q = q
                    .bind(id)
                    .bind(seq)
                    .bind(f.rule.clone())
                    .bind(f.level.clone())
                    .bind(f.subject.clone())
                    .bind(f.message.clone())
                    .bind(i64::from(f.excepted));
            }
            q.execute(tx.conn()).await.map_err(e)?;
        }
        for (lang, json) in &p.views {
            sqlx::query(
                "INSERT INTO assessment_views (assessment_id, lang, report) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(lang.clone())
            .bind(pack(json.as_bytes())?)
            .execute(tx.conn())
            .await
            .map_err(e)?;
        }
        // A new assessment takes a withdrawn candidate back in.
        sqlx::query(
            "UPDATE candidates SET latest = $1, withdrawn_at = NULL, withdrawn_by = NULL, \
             withdrawn_reason = NULL WHERE id = $2",
        )
        .bind(id)
        .bind(candidate_id)
        .execute(tx.conn())
        .await
        .map_err(e)?;
        tx.audit(
            actor,
            p.kind.as_str(),
            &format!("assessment {id}"),
            &format!("{} version {version}: {}", p.name, p.verdict),
        )
        .await?;
        Ok((id, candidate_id))
    }

    /// One assessment's row.
    pub(crate) async fn row(&self, id: i64) -> Result<Option<AssessmentRow>> {
        let sql = format!(
            "SELECT {ROW} FROM assessments a JOIN candidates c ON c.id = a.candidate_id \
             WHERE a.id = $1"
        );
        let r = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.err(&e))?;
        Ok(r.as_ref().map(row))
    }

    /// Stored assessments, newest first.
    pub(crate) async fn list(&self, limit: i64, offset: i64) -> Result<Vec<AssessmentRow>> {
        let sql = format!(
            "SELECT {ROW} FROM assessments a JOIN candidates c ON c.id = a.candidate_id \
             ORDER BY a.id DESC LIMIT $1 OFFSET $2"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(limit.clamp(0, 100_000))
            .bind(offset.max(0))
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(&e))?;
        Ok(rows.iter().map(row).collect())
    }

    /// Every version of the candidate named `name` (or with the id `name`), oldest first.
    pub(crate) async fn history(&self, name: &str) -> Result<Vec<AssessmentRow>> {
        let sql = format!(
            "SELECT {ROW} FROM assessments a JOIN candidates c ON c.id = a.candidate_id \
             WHERE c.name = $1 ORDER BY a.version"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(name)
            .fetch_all(&self.pool)
            .await
            .map_err(|e| self.err(&e))?;
        Ok(rows.iter().map(row).collect())
    }

    /// One assessment's row with its functions, licence classes and jurisdictions.
    pub(crate) async fn summary(&self, id: i64) -> Result<Option<Summary>> {
        let Some(r) = self.row(id).await? else {
            return Ok(None);
        };
        Ok(self.summaries(vec![r]).await?.pop())
    }

    /// One assessment with its inputs (names and hashes), findings and facts.
    pub(crate) async fn assessment(&self, id: i64) -> Result<Option<AssessmentDetail>> {
        let Some(r) = self.row(id).await? else {
            return Ok(None);
        };
        let e = |err: sqlx::Error| self.err(&err);
        let extra = sqlx::query(
            "SELECT policy_layers, policy_arg, facts_name, roots, report_sha256 \
             FROM assessments WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await
        .map_err(e)?;
        let info: RunInfo = serde_json::from_str(&text(&extra, "roots"))
            .map_err(|err| Error::External(format!("assessment {id}: damaged: {err}")))?;
        let inputs = sqlx::query(
            "SELECT path, sha256, bytes FROM assessment_inputs WHERE assessment_id = $1 \
             ORDER BY path",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(e)?
        .iter()
        .map(|r| InputRow {
            path: text(r, "path"),
            sha256: text(r, "sha256"),
            bytes: int(r, "bytes"),
        })
        .collect();
        let tags = self.tags(&[id]).await?;
        let (functions, licence_classes, jurisdictions) = split_tags(tags.get(&id));
        Ok(Some(AssessmentDetail {
            row: r,
            policy_layers: text(&extra, "policy_layers"),
            policy_arg: opt_text(&extra, "policy_arg"),
            facts: opt_text(&extra, "facts_name"),
            roots: info.roots,
            inputs,
            left_out: info.left_out,
            functions,
            licence_classes,
            jurisdictions,
            findings: self.findings(id).await?,
            report_sha256: text(&extra, "report_sha256"),
        }))
    }

    /// The findings of one assessment, in the order the rules sorted them.
    pub(crate) async fn findings(&self, id: i64) -> Result<Vec<FindingRow>> {
        let rows = sqlx::query(
            "SELECT rule, level, subject, message, excepted FROM findings \
             WHERE assessment_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(&e))?;
        Ok(rows
            .iter()
            .map(|r| FindingRow {
                rule: text(r, "rule"),
                level: text(r, "level"),
                subject: text(r, "subject"),
                message: text(r, "message"),
                excepted: int(r, "excepted") != 0,
            })
            .collect())
    }

    /// The stored report view model JSON (`sovra.report/2`, English) of one assessment.
    pub(crate) async fn report_json(&self, id: i64) -> Result<Option<String>> {
        let r = sqlx::query("SELECT report FROM assessments WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await
            .map_err(|e| self.err(&e))?;
        let Some(r) = r else { return Ok(None) };
        let packed: Vec<u8> = r.try_get(0).map_err(|e| self.err(&e))?;
        let bytes = unpack(&packed)?;
        String::from_utf8(bytes)
            .map(Some)
            .map_err(|e| Error::External(format!("assessment {id}: report is not UTF-8: {e}")))
    }

    /// The report view model JSON of one assessment in `lang`: the stored view in that
    /// language, else (an assessment stored before views were) the assessment's own.
    pub(crate) async fn report_json_in(&self, id: i64, lang: &str) -> Result<Option<String>> {
        let r = sqlx::query(
            "SELECT report FROM assessment_views WHERE assessment_id = $1 AND lang = $2",
        )
        .bind(id)
        .bind(lang)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.err(&e))?;
        let Some(r) = r else {
            return self.report_json(id).await;
        };
        let packed: Vec<u8> = r.try_get(0).map_err(|e| self.err(&e))?;
        String::from_utf8(unpack(&packed)?)
            .map(Some)
            .map_err(|e| Error::External(format!("assessment {id}: view is not UTF-8: {e}")))
    }

    /// The stored views of one assessment: `(lang, json)`, by language.
    async fn views(&self, id: i64) -> Result<Vec<(String, String)>> {
        let rows = sqlx::query(
            "SELECT lang, report FROM assessment_views WHERE assessment_id = $1 ORDER BY lang",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(&e))?;
        rows.iter()
            .map(|r| {
                let packed: Vec<u8> = r.try_get("report").map_err(|e| self.err(&e))?;
                let json = String::from_utf8(unpack(&packed)?).map_err(|e| {
                    Error::External(format!("assessment {id}: view is not UTF-8: {e}"))
                })?;
                Ok((text(r, "lang"), json))
            })
            .collect()
    }

    /// What assessment `id` was run from, to run it again.
    pub(crate) async fn material(
        &self,
        id: i64,
    ) -> Result<Option<(Material, Recorded, String, String)>> {
        let e = |err: sqlx::Error| self.err(&err);
        let r = sqlx::query(
            "SELECT roots, policy_arg, policy_files, facts_name, facts, assessed_on, lang \
             FROM assessments WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(e)?;
        let Some(r) = r else { return Ok(None) };
        let damaged = |what: &str| Error::External(format!("assessment {id}: damaged {what}"));
        let info: RunInfo =
            serde_json::from_str(&text(&r, "roots")).map_err(|_| damaged("inputs"))?;
        let policy_files: Vec<u8> = r.try_get("policy_files").map_err(e)?;
        let recorded: Recorded =
            serde_json::from_slice(&unpack(&policy_files)?).map_err(|_| damaged("policy"))?;
        let facts = match (
            opt_text(&r, "facts_name"),
            r.try_get::<Option<Vec<u8>>, _>("facts").map_err(e)?,
        ) {
            (Some(path), Some(bytes)) => Some(StoredFile {
                path,
                bytes: unpack(&bytes)?,
            }),
            _ => None,
        };
        let files = sqlx::query(
            "SELECT path, content FROM assessment_inputs WHERE assessment_id = $1 ORDER BY path",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await
        .map_err(e)?
        .iter()
        .map(|r| {
            let content: Vec<u8> = r.try_get("content").map_err(e)?;
            Ok(StoredFile {
                path: text(r, "path"),
                bytes: unpack(&content)?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let material = Material {
            captured: Captured {
                roots: info.roots,
                files,
                left_out: info.left_out,
            },
            facts,
            policy: opt_text(&r, "policy_arg").unwrap_or_else(|| super::DEFAULT_POLICY.into()),
            max_file_bytes: info.max_file_bytes,
        };
        Ok(Some((
            material,
            recorded,
            text(&r, "assessed_on"),
            text(&r, "lang"),
        )))
    }

    /// Runs assessment `id` again from what is stored and compares the report JSON
    /// byte for byte with the stored one.
    pub(crate) async fn reproduce(&self, id: i64) -> Result<Option<Reproduced>> {
        let (Some(row), Some(stored)) = (self.row(id).await?, self.report_json(id).await?) else {
            return Ok(None);
        };
        let Some((material, recorded, date, lang)) = self.material(id).await? else {
            return Ok(None);
        };
        let run = tokio::task::spawn_blocking(move || {
            super::run::run(&material, Some(&recorded), &date, &lang)
        })
        .await
        .map_err(|e| Error::External(format!("the run did not finish: {e}")))??;
        let (mut differences, mut differing_lines) = super::run::line_diff(&stored, &run.json, 10);
        // The views in other languages come from the same run: each stored one must be
        // made again byte for byte too.
        let mut views_identical = true;
        for (lang, json) in self.views(id).await? {
            let new = run.views.iter().find(|(l, _)| *l == lang).map(|(_, j)| j);
            if new != Some(&json) {
                views_identical = false;
                let (shown, count) = super::run::line_diff(&json, new.map_or("", |j| j), 10);
                differing_lines += count.max(1);
                differences.extend(shown.into_iter().map(|d| format!("[{lang}] {d}")));
            }
        }
        Ok(Some(Reproduced {
            id,
            identical: stored == run.json && views_identical,
            stored_version: row.sovra_version,
            stored_sha256: sha256_hex(stored.as_bytes()),
            new_sha256: sha256_hex(run.json.as_bytes()),
            differences,
            differing_lines,
        }))
    }

    /// The report of assessment `id` in `lang` (`en`, `de`) as `format`, run again
    /// from what is stored: HTML, Markdown, flat ODF text or JSON, as `sovra report`
    /// writes them.
    pub(crate) async fn render(
        &self,
        id: i64,
        format: crate::report::Format,
        lang: &str,
    ) -> Result<Option<String>> {
        let Some((material, recorded, date, _)) = self.material(id).await? else {
            return Ok(None);
        };
        let lang = lang.to_owned();
        tokio::task::spawn_blocking(move || {
            let run = super::run::run(&material, Some(&recorded), &date, &lang)?;
            let value: serde_json::Value = serde_json::from_str(&run.json)
                .map_err(|e| Error::External(format!("the report JSON does not read back: {e}")))?;
            let locale = crate::locale::Locale::load(&lang, None)?;
            crate::report::render::render(
                &value,
                format,
                &locale,
                &crate::report::render::Templates::default(),
            )
            .map(Some)
        })
        .await
        .map_err(|e| Error::External(format!("the run did not finish: {e}")))?
    }

    /// The comparison of stored assessments (two or more), as `sovra compare` makes
    /// it: each is run again from what is stored, judged on its own date.
    pub(crate) async fn compare(
        &self,
        ids: &[i64],
        lang: &str,
    ) -> Result<Option<crate::report::model::Comparison>> {
        if ids.len() < 2 {
            return Err(Error::Usage(
                "a comparison needs at least two assessments".into(),
            ));
        }
        let mut stored = Vec::new();
        for id in ids {
            match self.material(*id).await? {
                Some(m) => stored.push(m),
                None => return Ok(None),
            }
        }
        let lang = lang.to_owned();
        tokio::task::spawn_blocking(move || {
            let locale = crate::locale::Locale::load(&lang, None)?;
            let mut runs = Vec::new();
            for (material, recorded, date, _) in &stored {
                runs.push(super::run::run(material, Some(recorded), date, &lang)?);
            }
            let subjects: Vec<crate::report::build::Subject<'_>> = runs
                .iter()
                .map(|r| crate::report::build::Subject {
                    analysis: &r.assessment.analysis,
                    score: &r.assessment.score,
                })
                .collect();
            let date = stored.iter().map(|s| s.2.clone()).max();
            let model = crate::report::build::report(
                &subjects,
                &crate::report::build::Options {
                    locale: &locale,
                    date: date.as_deref(),
                    appendix: false,
                },
            );
            Ok(model.comparison)
        })
        .await
        .map_err(|e| Error::External(format!("the run did not finish: {e}")))?
    }

    /// How assessment `to` differs from `from`.
    pub(crate) async fn diff(&self, from: i64, to: i64) -> Result<Option<Diff>> {
        let (Some(a), Some(b)) = (self.row(from).await?, self.row(to).await?) else {
            return Ok(None);
        };
        let fa = self.findings(from).await?;
        let fb = self.findings(to).await?;
        Ok(Some(diff(a, b, &fa, &fb)))
    }

    /// Tags of the given assessments: id → `(kind, value)`, sorted.
    async fn tags(&self, ids: &[i64]) -> Result<BTreeMap<i64, BTreeSet<(String, String)>>> {
        let mut out: BTreeMap<i64, BTreeSet<(String, String)>> = BTreeMap::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT assessment_id, kind, value FROM assessment_tags \
                 WHERE assessment_id IN ({})",
                marks.join(", ")
            );
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for id in chunk {
                q = q.bind(*id);
            }
            for r in q.fetch_all(&self.pool).await.map_err(|e| self.err(&e))? {
                out.entry(int(&r, "assessment_id"))
                    .or_default()
                    .insert((text(&r, "kind"), text(&r, "value")));
            }
        }
        Ok(out)
    }

    async fn summaries(&self, rows: Vec<AssessmentRow>) -> Result<Vec<Summary>> {
        let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
        let tags = self.tags(&ids).await?;
        Ok(rows
            .into_iter()
            .map(|row| {
                let (functions, licence_classes, jurisdictions) = split_tags(tags.get(&row.id));
                Summary {
                    row,
                    functions,
                    licence_classes,
                    jurisdictions,
                }
            })
            .collect())
    }

    /// Candidates by their newest assessment, filtered as `s` says (in the read model).
    pub(crate) async fn search(&self, s: &Search) -> Result<SearchPage> {
        Ok(self.snapshot().await?.search(s))
    }

    /// Every function with its assessed alternatives (each candidate by its newest
    /// assessment), functions by name.
    pub(crate) async fn functions(&self) -> Result<std::sync::Arc<Vec<FunctionEntry>>> {
        Ok(self.snapshot().await?.functions())
    }

    /// A candidate by id, with its newest assessment and every version.
    pub(crate) async fn candidate(&self, id: i64) -> Result<Option<CandidateDetail>> {
        let r = sqlx::query(
            "SELECT id, name, latest, withdrawn_at, withdrawn_by, withdrawn_reason \
             FROM candidates WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(|e| self.err(&e))?;
        let Some(r) = r else { return Ok(None) };
        let name = text(&r, "name");
        let Some(latest) = opt_int(&r, "latest") else {
            return Ok(None);
        };
        let Some(latest_row) = self.row(latest).await? else {
            return Ok(None);
        };
        let latest = self.summaries(vec![latest_row]).await?.remove(0);
        let withdrawn = r
            .try_get::<Option<String>, _>("withdrawn_at")
            .ok()
            .flatten()
            .map(|at| Withdrawal {
                at,
                by: text(&r, "withdrawn_by"),
                reason: text(&r, "withdrawn_reason"),
            });
        Ok(Some(CandidateDetail {
            id,
            history: self.history(&name).await?,
            name,
            latest,
            withdrawn,
        }))
    }

    /// Withdraws candidate `id` from the catalogue (search and the functions list no
    /// longer show it; everything stored stays), audited. `None` when there is no such
    /// candidate; a candidate withdrawn already keeps its first withdrawal, and nothing
    /// is recorded again.
    pub(crate) async fn withdraw(
        &self,
        id: i64,
        actor: &str,
        reason: &str,
    ) -> Result<Option<Withdrawal>> {
        let e = |err: sqlx::Error| self.err(&err);
        let mut tx = self.begin().await?;
        let lock = match self.backend {
            Backend::Postgres => {
                "SELECT name, withdrawn_at, withdrawn_by, withdrawn_reason FROM candidates \
                 WHERE id = $1 AND latest IS NOT NULL FOR UPDATE"
            }
            Backend::Sqlite => {
                "SELECT name, withdrawn_at, withdrawn_by, withdrawn_reason FROM candidates \
                 WHERE id = $1 AND latest IS NOT NULL"
            }
        };
        let Some(r) = sqlx::query(lock)
            .bind(id)
            .fetch_optional(tx.conn())
            .await
            .map_err(e)?
        else {
            return Ok(None);
        };
        if let Some(at) = r
            .try_get::<Option<String>, _>("withdrawn_at")
            .ok()
            .flatten()
        {
            return Ok(Some(Withdrawal {
                at,
                by: text(&r, "withdrawn_by"),
                reason: text(&r, "withdrawn_reason"),
            }));
        }
        let w = Withdrawal {
            at: now(),
            by: actor.to_owned(),
            reason: reason.to_owned(),
        };
        sqlx::query(
            "UPDATE candidates SET withdrawn_at = $1, withdrawn_by = $2, withdrawn_reason = $3 \
             WHERE id = $4",
        )
        .bind(&w.at)
        .bind(&w.by)
        .bind(&w.reason)
        .bind(id)
        .execute(tx.conn())
        .await
        .map_err(e)?;
        tx.audit(actor, "withdraw", &text(&r, "name"), reason)
            .await?;
        tx.commit().await?;
        Ok(Some(w))
    }

    /// The audit log, newest first.
    pub(crate) async fn audit_log(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        let rows = sqlx::query(
            "SELECT id, at, actor, action, subject, detail FROM audit_log \
             ORDER BY id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit.clamp(0, 100_000))
        .bind(offset.max(0))
        .fetch_all(&self.pool)
        .await
        .map_err(|e| self.err(&e))?;
        Ok(rows
            .iter()
            .map(|r| AuditEntry {
                id: int(r, "id"),
                at: text(r, "at"),
                actor: text(r, "actor"),
                action: text(r, "action"),
                subject: text(r, "subject"),
                detail: text(r, "detail"),
            })
            .collect())
    }
}

/// `head` followed by `rows` groups of `cols` placeholders.
fn values_sql(head: &str, cols: usize, rows: usize) -> String {
    let mut sql = head.to_owned();
    let mut n = 0;
    for r in 0..rows {
        if r > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for c in 0..cols {
            n += 1;
            if c > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${n}"));
        }
        sql.push(')');
    }
    sql
}

fn split_tags(
    tags: Option<&BTreeSet<(String, String)>>,
) -> (Vec<String>, Vec<String>, Vec<String>) {
    let mut f = Vec::new();
    let mut l = Vec::new();
    let mut j = Vec::new();
    for (kind, value) in tags.into_iter().flatten() {
        match kind.as_str() {
            "function" => f.push(value.clone()),
            "licence-class" => l.push(value.clone()),
            "jurisdiction" => j.push(value.to_uppercase()),
            _ => {}
        }
    }
    (f, l, j)
}

/// The difference of two assessments' findings: keyed by rule, subject and message.
pub(crate) fn diff(
    from: AssessmentRow,
    to: AssessmentRow,
    fa: &[FindingRow],
    fb: &[FindingRow],
) -> Diff {
    type Key = (String, String, String);
    let key = |f: &FindingRow| -> Key { (f.rule.clone(), f.subject.clone(), f.message.clone()) };
    let index = |fs: &[FindingRow]| -> BTreeMap<Key, FindingRow> {
        fs.iter().map(|f| (key(f), f.clone())).collect()
    };
    let (a, b) = (index(fa), index(fb));
    let added = b
        .iter()
        .filter(|(k, _)| !a.contains_key(*k))
        .map(|(_, f)| f.clone())
        .collect();
    let removed = a
        .iter()
        .filter(|(k, _)| !b.contains_key(*k))
        .map(|(_, f)| f.clone())
        .collect();
    let changed = a
        .iter()
        .filter_map(|(k, x)| {
            let y = b.get(k)?;
            (x.level != y.level || x.excepted != y.excepted).then(|| FindingChange {
                rule: k.0.clone(),
                subject: k.1.clone(),
                message: k.2.clone(),
                from_level: x.level.clone(),
                to_level: y.level.clone(),
                from_excepted: x.excepted,
                to_excepted: y.excepted,
            })
        })
        .collect();
    Diff {
        verdict_changed: from.verdict != to.verdict,
        score_change: match (from.score, to.score) {
            (Some(x), Some(y)) => Some(y - x),
            _ => None,
        },
        from,
        to,
        added,
        removed,
        changed,
    }
}
