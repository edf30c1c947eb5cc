//! The read model: every candidate's newest assessment, held in memory, so a search is
//! a scan of a few kilobytes per candidate instead of a query per filter.
//!
//! A [`Snapshot`] is labelled with the catalogue's generation (`catalogue_state`,
//! raised in the transaction of every audited write, [`super::Tx::commit`]). Before
//! each use the store reads the generation, one indexed row; a snapshot older than it
//! is rebuilt, by one caller at a time while the others wait for that one. A snapshot
//! is read after its label, so it is never older than the label says: on PostgreSQL's
//! default isolation a write committed between the two reads makes it newer, and the
//! next request rebuilds it once more. Several server instances over one database stay
//! current the same way, each with its own snapshot.
//!
//! Text search runs over one buffer of every candidate's lower-cased name, vendor,
//! description and functions (fields joined by NUL, which a query never holds), so one
//! substring scan answers `q` for the whole catalogue. A snapshot also memoises answers
//! that callers derive from it (a search page, a candidate's detail), bounded in number
//! and dropped with the snapshot.
//!
//! Withdrawn candidates are left out. Memory: about a kilobyte per candidate, plus the
//! memoised answers.

use std::any::Any;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{Arc, Mutex};

use sqlx::{AssertSqlSafe, Executor};

use super::query::{AssessmentRow, FunctionEntry, ROW, Search, SearchPage, Summary, row};
use super::{Backend, Store, int, text};
use crate::error::Result;

/// Answers memoised per snapshot, at most, and their weight (about the bytes they hold)
/// at most: a reader asking for every large candidate in turn must not fill memory.
const MEMO_ENTRIES: usize = 2048;
const MEMO_BYTES: usize = 64 << 20;

/// About how many bytes of memory a memoised answer holds.
pub(crate) trait Weigh {
    fn weight(&self) -> usize;
}

impl Weigh for String {
    fn weight(&self) -> usize {
        self.len()
    }
}

impl Weigh for Vec<u8> {
    fn weight(&self) -> usize {
        self.len()
    }
}

/// The memoised answers and their total weight.
#[derive(Default)]
struct Memo {
    answers: HashMap<String, Arc<dyn Any + Send + Sync>>,
    weight: usize,
}

/// Results one search returns unless it asks for another number; at most.
const DEFAULT_LIMIT: i64 = 50;
const MAX_LIMIT: i64 = 1000;

/// The snapshot in use and the lock its rebuild takes.
#[derive(Debug, Default)]
pub(crate) struct Cache {
    current: Mutex<Option<Arc<Snapshot>>>,
    rebuild: tokio::sync::Mutex<()>,
}

impl Cache {
    fn current(&self, generation: i64) -> Option<Arc<Snapshot>> {
        let g = self.current.lock().unwrap_or_else(|p| p.into_inner());
        g.as_ref()
            .filter(|s| s.generation >= generation)
            .map(Arc::clone)
    }

    fn install(&self, snap: &Arc<Snapshot>) {
        let mut g = self.current.lock().unwrap_or_else(|p| p.into_inner());
        if g.as_ref().is_none_or(|s| s.generation <= snap.generation) {
            *g = Some(Arc::clone(snap));
        }
    }
}

/// One candidate in a snapshot.
#[derive(Debug)]
struct Entry {
    summary: Summary,
    /// Lower-cased functions and licence classes, and jurisdictions as stored
    /// (lower case), for the exact filters.
    functions: Vec<String>,
    classes: Vec<String>,
    jurisdictions: Vec<String>,
}

/// Every candidate's newest assessment as of one generation of the catalogue.
pub(crate) struct Snapshot {
    pub(crate) generation: i64,
    /// By name, then candidate id (byte order, the same on both databases).
    entries: Vec<Entry>,
    /// The text `q` searches: per entry its fields, lower-cased, each followed by NUL.
    text: String,
    /// Where each entry's text starts in `text`, ascending.
    starts: Vec<usize>,
    memo: Mutex<Memo>,
    /// Every function with its alternatives, computed with the snapshot (the functions
    /// filter is on every search page: computing it per request, or by a hundred
    /// requests at once after a write, costs more than the search).
    functions: Arc<Vec<FunctionEntry>>,
}

impl std::fmt::Debug for Snapshot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Snapshot")
            .field("generation", &self.generation)
            .field("candidates", &self.entries.len())
            .finish_non_exhaustive()
    }
}

/// Verdicts best first.
fn verdict_rank(v: &str) -> u8 {
    match v {
        "compliant" => 0,
        "review-needed" => 1,
        "not-assessed" => 2,
        _ => 3,
    }
}

/// Best first: verdict, then the higher score (none last), then name and id.
fn best_first(a: &AssessmentRow, b: &AssessmentRow) -> std::cmp::Ordering {
    verdict_rank(&a.verdict)
        .cmp(&verdict_rank(&b.verdict))
        .then_with(|| match (a.score, b.score) {
            (Some(x), Some(y)) => y.total_cmp(&x),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
        .then_with(|| a.candidate.cmp(&b.candidate))
        .then_with(|| a.candidate_id.cmp(&b.candidate_id))
}

impl Snapshot {
    fn new(generation: i64, rows: Vec<AssessmentRow>, tags: BTreeMap<i64, Tags>) -> Snapshot {
        let mut entries: Vec<Entry> = rows
            .into_iter()
            .map(|row| {
                let t = tags.get(&row.id);
                let pick = |kind: &str| -> Vec<String> {
                    t.into_iter()
                        .flatten()
                        .filter(|(k, _)| k == kind)
                        .map(|(_, v)| v.clone())
                        .collect()
                };
                let functions = pick("function");
                let classes = pick("licence-class");
                let jurisdictions = pick("jurisdiction");
                Entry {
                    summary: Summary {
                        row,
                        functions: functions.clone(),
                        licence_classes: classes.clone(),
                        jurisdictions: jurisdictions.iter().map(|j| j.to_uppercase()).collect(),
                    },
                    functions: functions.iter().map(|f| f.to_lowercase()).collect(),
                    classes: classes.iter().map(|c| c.to_lowercase()).collect(),
                    jurisdictions: jurisdictions.iter().map(|j| j.to_lowercase()).collect(),
                }
            })
            .collect();
        entries.sort_by(|a, b| {
            (&a.summary.row.candidate, a.summary.row.candidate_id)
                .cmp(&(&b.summary.row.candidate, b.summary.row.candidate_id))
        });
        let mut text = String::new();
        let mut starts = Vec::with_capacity(entries.len());
        for e in &entries {
            starts.push(text.len());
            let r = &e.summary.row;
            for field in [
                Some(r.candidate.as_str()),
                r.vendor.as_deref(),
                r.description.as_deref(),
            ]
            .into_iter()
            .flatten()
            .chain(e.summary.functions.iter().map(String::as_str))
            {
                // A NUL inside a field would join two fields for a query.
                text.extend(field.to_lowercase().chars().filter(|&c| c != '\0'));
                text.push('\0');
            }
        }
        let functions = Arc::new(functions_of(&entries));
        Snapshot {
            generation,
            entries,
            text,
            starts,
            memo: Mutex::new(Memo::default()),
            functions,
        }
    }

    /// Indices of the entries whose text holds `q` (lower-cased, no NUL), ascending.
    fn text_matches(&self, q: &str) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (at, _) in self.text.match_indices(q) {
            let i = self.starts.partition_point(|&s| s <= at) - 1;
            if out.last() != Some(&i) {
                out.push(i);
            }
        }
        out
    }

    /// The candidates `s` asks for, each by its newest assessment.
    pub(crate) fn search(&self, s: &Search) -> SearchPage {
        let q =
            s.q.as_deref()
                .map(str::trim)
                .filter(|q| !q.is_empty())
                .map(str::to_lowercase);
        let exact = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_lowercase)
        };
        let function = exact(&s.function);
        let class = exact(&s.licence_class);
        let jurisdiction = exact(&s.jurisdiction);
        let candidates: Box<dyn Iterator<Item = usize>> = match &q {
            // No field holds a NUL, so a query with one matches nothing.
            Some(q) if q.contains('\0') => Box::new(std::iter::empty()),
            Some(q) => Box::new(self.text_matches(q).into_iter()),
            None => Box::new(0..self.entries.len()),
        };
        let mut hits: Vec<&Entry> = candidates
            .map(|i| &self.entries[i])
            .filter(|e| {
                let r = &e.summary.row;
                function.as_ref().is_none_or(|f| e.functions.contains(f))
                    && class.as_ref().is_none_or(|c| e.classes.contains(c))
                    && jurisdiction
                        .as_ref()
                        .is_none_or(|j| e.jurisdictions.contains(j))
                    && s.verdict.as_ref().is_none_or(|v| &r.verdict == v)
                    && s.score_min.is_none_or(|m| r.score.is_some_and(|x| x >= m))
                    && s.score_max.is_none_or(|m| r.score.is_some_and(|x| x <= m))
                    && s.seal_min.is_none_or(|m| r.seal.is_some_and(|x| x >= m))
                    && s.date_from
                        .as_ref()
                        .is_none_or(|d| r.assessed_on.as_str() >= d.as_str())
                    && s.date_to
                        .as_ref()
                        .is_none_or(|d| r.assessed_on.as_str() <= d.as_str())
            })
            .collect();
        match s.sort.as_deref() {
            Some("score") => hits.sort_by(|a, b| best_first(&a.summary.row, &b.summary.row)),
            Some("date") => hits.sort_by(|a, b| {
                let (a, b) = (&a.summary.row, &b.summary.row);
                b.assessed_on.cmp(&a.assessed_on).then(b.id.cmp(&a.id))
            }),
            // Entries are in name order already.
            _ => {}
        }
        let limit = usize::try_from(s.limit.unwrap_or(DEFAULT_LIMIT).clamp(0, MAX_LIMIT))
            .unwrap_or_default();
        let offset = s.offset.unwrap_or(0).max(0);
        let skip = usize::try_from(offset).unwrap_or(usize::MAX);
        SearchPage {
            total: i64::try_from(hits.len()).unwrap_or(i64::MAX),
            offset,
            items: hits
                .into_iter()
                .skip(skip)
                .take(limit)
                .map(|e| e.summary.clone())
                .collect(),
        }
    }

    /// Every function with its alternatives, functions by name, alternatives best
    /// first.
    pub(crate) fn functions(&self) -> Arc<Vec<FunctionEntry>> {
        Arc::clone(&self.functions)
    }

    /// What was memoised under `key`, if it is a `T`.
    pub(crate) fn memo<T: Any + Send + Sync>(&self, key: &str) -> Option<Arc<T>> {
        let m = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        m.answers
            .get(key)
            .cloned()
            .and_then(|v| v.downcast::<T>().ok())
    }

    /// Memoises `value` under `key`; returns it shared. A memo that would hold more than
    /// [`MEMO_ENTRIES`] answers or [`MEMO_BYTES`] starts again empty (the answers asked
    /// for since are memoised anew); an answer heavier than that alone is not kept.
    pub(crate) fn remember<T: Weigh + Any + Send + Sync>(&self, key: &str, value: T) -> Arc<T> {
        let weight = value.weight().saturating_add(key.len());
        let value = Arc::new(value);
        if weight > MEMO_BYTES {
            return value;
        }
        let mut m = self.memo.lock().unwrap_or_else(|p| p.into_inner());
        if m.answers.len() >= MEMO_ENTRIES || m.weight.saturating_add(weight) > MEMO_BYTES {
            m.answers.clear();
            m.weight = 0;
        }
        let any = Arc::clone(&value) as Arc<dyn Any + Send + Sync>;
        if m.answers.insert(key.to_owned(), any).is_none() {
            m.weight += weight;
        }
        value
    }
}

/// Every function the entries name with its alternatives, best first.
fn functions_of(entries: &[Entry]) -> Vec<FunctionEntry> {
    let mut by: BTreeMap<&str, Vec<&AssessmentRow>> = BTreeMap::new();
    for e in entries {
        for f in &e.summary.functions {
            by.entry(f.as_str()).or_default().push(&e.summary.row);
        }
    }
    by.into_iter()
        .map(|(function, mut rows)| {
            rows.sort_by(|a, b| best_first(a, b));
            FunctionEntry {
                function: function.to_owned(),
                compliant: rows.iter().filter(|r| r.verdict == "compliant").count(),
                alternatives: rows.into_iter().cloned().collect(),
            }
        })
        .collect()
}

/// An assessment's tags: `(kind, value)`, sorted.
type Tags = BTreeSet<(String, String)>;

impl Store {
    /// The catalogue's generation: raised by every audited write.
    pub(crate) async fn generation(&self) -> Result<i64> {
        let r = sqlx::query("SELECT generation FROM catalogue_state WHERE id = 1")
            .fetch_one(&self.pool)
            .await
            .map_err(|e| self.err(&e))?;
        Ok(int(&r, "generation"))
    }

    /// The read model as of now: the one in use when it is current, else a new one.
    pub(crate) async fn snapshot(&self) -> Result<Arc<Snapshot>> {
        let generation = self.generation().await?;
        if let Some(s) = self.read.current(generation) {
            return Ok(s);
        }
        let _one = self.read.rebuild.lock().await;
        // Another caller may have rebuilt it while this one waited.
        if let Some(s) = self.read.current(generation) {
            return Ok(s);
        }
        let snap = Arc::new(self.build_snapshot().await?);
        self.read.install(&snap);
        Ok(snap)
    }

    /// Reads the generation, then every candidate's newest assessment and its tags, in
    /// one transaction (one snapshot of the database on both backends).
    async fn build_snapshot(&self) -> Result<Snapshot> {
        let e = |err: sqlx::Error| self.err(&err);
        let mut tx = self.pool.begin().await.map_err(e)?;
        if self.backend == Backend::Postgres {
            tx.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                .await
                .map_err(e)?;
        }
        let generation = int(
            &sqlx::query("SELECT generation FROM catalogue_state WHERE id = 1")
                .fetch_one(&mut *tx)
                .await
                .map_err(e)?,
            "generation",
        );
        let sql = format!(
            "SELECT {ROW} FROM candidates c JOIN assessments a ON a.id = c.latest \
             WHERE c.withdrawn_at IS NULL"
        );
        let rows: Vec<AssessmentRow> = sqlx::query(AssertSqlSafe(sql))
            .fetch_all(&mut *tx)
            .await
            .map_err(e)?
            .iter()
            .map(row)
            .collect();
        let mut tags: BTreeMap<i64, Tags> = BTreeMap::new();
        for r in sqlx::query(
            "SELECT t.assessment_id, t.kind, t.value FROM assessment_tags t \
             JOIN candidates c ON c.latest = t.assessment_id WHERE c.withdrawn_at IS NULL",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(e)?
        {
            tags.entry(int(&r, "assessment_id"))
                .or_default()
                .insert((text(&r, "kind"), text(&r, "value")));
        }
        tx.commit().await.map_err(e)?;
        Ok(Snapshot::new(generation, rows, tags))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::query::Counts;

    fn row(id: i64, name: &str, verdict: &str, score: Option<f64>) -> AssessmentRow {
        AssessmentRow {
            id,
            candidate_id: id * 10,
            candidate: name.into(),
            version: 1,
            created: "2026-01-01T00:00:00Z".into(),
            actor: "t".into(),
            kind: "assessment".into(),
            assessed_on: format!("2026-01-{:02}", id),
            sovra_version: "0".into(),
            policy: "p".into(),
            verdict: verdict.into(),
            score,
            band: None,
            coverage: None,
            seal: Some(id % 5),
            counts: Counts {
                gate: 0,
                deny: 0,
                warn: 0,
                allow: 0,
            },
            vendor: Some(format!("Vendor {name}")),
            description: None,
        }
    }

    fn snapshot() -> Snapshot {
        let rows = vec![
            row(1, "Zeta", "compliant", Some(80.0)),
            row(2, "alpha", "non-compliant", Some(90.0)),
            row(3, "Beta", "compliant", None),
            row(4, "Gamma\0Office", "review-needed", Some(10.0)),
        ];
        let mut tags: BTreeMap<i64, Tags> = BTreeMap::new();
        for (id, kind, value) in [
            (1, "function", "office"),
            (2, "function", "office"),
            (2, "function", "chat"),
            (3, "licence-class", "network-copyleft"),
            (3, "jurisdiction", "de"),
        ] {
            tags.entry(id)
                .or_default()
                .insert((kind.into(), value.into()));
        }
        Snapshot::new(7, rows, tags)
    }

    fn names(p: &SearchPage) -> Vec<&str> {
        p.items.iter().map(|s| s.row.candidate.as_str()).collect()
    }

    #[test]
    fn search_filters_sorts_and_pages_in_memory() {
        let s = snapshot();
        let all = s.search(&Search::default());
        // Byte order: upper case before lower case, as on both databases' `BINARY`.
        assert_eq!(names(&all), ["Beta", "Gamma\0Office", "Zeta", "alpha"]);
        assert_eq!(all.total, 4);
        let q = |f: fn(&mut Search)| {
            let mut x = Search::default();
            f(&mut x);
            s.search(&x)
        };
        assert_eq!(
            names(&q(|x| x.q = Some(" OFF ".into()))),
            ["Gamma\0Office", "Zeta", "alpha"]
        );
        // A NUL inside a field is left out of the searched text; a query with one
        // matches nothing; no match spans two fields.
        assert_eq!(
            names(&q(|x| x.q = Some("gammaoffice".into()))),
            ["Gamma\0Office"]
        );
        assert!(q(|x| x.q = Some("alphavendor".into())).items.is_empty());
        assert!(q(|x| x.q = Some("a\0o".into())).items.is_empty());
        assert_eq!(names(&q(|x| x.q = Some("vendor z".into()))), ["Zeta"]);
        assert_eq!(names(&q(|x| x.function = Some("Chat".into()))), ["alpha"]);
        assert_eq!(names(&q(|x| x.jurisdiction = Some("DE".into()))), ["Beta"]);
        assert_eq!(
            names(&q(|x| x.licence_class = Some("network-copyleft".into()))),
            ["Beta"]
        );
        assert_eq!(names(&q(|x| x.score_min = Some(80.0))), ["Zeta", "alpha"]);
        assert_eq!(
            names(&q(|x| x.score_max = Some(80.0))),
            ["Gamma\0Office", "Zeta"]
        );
        assert_eq!(
            names(&q(|x| x.seal_min = Some(3))),
            ["Beta", "Gamma\0Office"]
        );
        assert_eq!(
            names(&q(|x| {
                x.date_from = Some("2026-01-02".into());
                x.date_to = Some("2026-01-03".into());
            })),
            ["Beta", "alpha"]
        );
        assert_eq!(
            names(&q(|x| x.sort = Some("score".into()))),
            ["Zeta", "Beta", "Gamma\0Office", "alpha"]
        );
        assert_eq!(
            names(&q(|x| x.sort = Some("date".into()))),
            ["Gamma\0Office", "Beta", "alpha", "Zeta"]
        );
        let page = q(|x| {
            x.limit = Some(2);
            x.offset = Some(1);
        });
        assert_eq!((page.total, page.offset), (4, 1));
        assert_eq!(names(&page), ["Gamma\0Office", "Zeta"]);
        assert!(q(|x| x.offset = Some(i64::MAX)).items.is_empty());
    }

    #[test]
    fn functions_list_alternatives_best_first() {
        let f = snapshot().functions();
        let names: Vec<(&str, Vec<&str>, usize)> = f
            .iter()
            .map(|e| {
                (
                    e.function.as_str(),
                    e.alternatives
                        .iter()
                        .map(|r| r.candidate.as_str())
                        .collect(),
                    e.compliant,
                )
            })
            .collect();
        assert_eq!(
            names,
            [
                ("chat", vec!["alpha"], 0),
                ("office", vec!["Zeta", "alpha"], 1)
            ]
        );
    }

    #[test]
    fn memo_is_typed_and_bounded_in_number_and_bytes() {
        let s = snapshot();
        assert_eq!(*s.remember("k", "five".to_owned()), "five");
        assert_eq!(
            s.memo::<String>("k").as_deref().map(String::as_str),
            Some("five")
        );
        assert!(s.memo::<Vec<u8>>("k").is_none(), "typed");
        for i in 0..MEMO_ENTRIES + 10 {
            s.remember(&i.to_string(), i.to_string());
        }
        // Full at MEMO_ENTRIES: emptied, then the last eleven remembered.
        assert_eq!(s.memo.lock().unwrap().answers.len(), 11);
        let last = (MEMO_ENTRIES + 9).to_string();
        assert_eq!(s.memo::<String>(&last).as_deref(), Some(&last));
        assert!(s.memo::<String>("k").is_none());
        // By weight: answers of a quarter of the bound each, four fit, a fifth empties
        // the memo; one heavier than the bound is answered and not kept.
        let s = snapshot();
        for i in 0..5 {
            s.remember(&format!("big {i}"), vec![0_u8; MEMO_BYTES / 4 - 16]);
        }
        let m = s.memo.lock().unwrap();
        assert_eq!(m.answers.len(), 1);
        assert!(m.weight <= MEMO_BYTES);
        drop(m);
        assert_eq!(
            s.remember("huge", vec![1_u8; MEMO_BYTES + 1]).len(),
            MEMO_BYTES + 1
        );
        assert!(s.memo::<Vec<u8>>("huge").is_none());
        assert!(s.memo::<Vec<u8>>("big 4").is_some());
    }
}
