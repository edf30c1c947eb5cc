//! The catalogue of assessments: a database of stored, reproducible assessments that a
//! competence centre shares (`sovra catalog`, and `sovra serve` on top of it).
//!
//! One code path serves both databases through sqlx's `Any` driver: a file path or a
//! `sqlite:` URL opens an embedded SQLite file (created on demand), a `postgres://` URL
//! a PostgreSQL server. Queries are written once, in the SQL both understand (`$1`
//! placeholders, `BIGINT`, `DOUBLE PRECISION`, `RETURNING`).
//!
//! Schema changes are versioned migrations, one file per version in each of
//! `migrations/sqlite/` and `migrations/postgres/` (the same schema in each dialect),
//! listed in [`MIGRATIONS`]. Versions 0001–0099 belong to this module; `serve` adds its
//! own tables from 0100 on, in the same directories and the same list.
//!
//! What is stored per assessment (`add`): the candidate, every input file's bytes and
//! hash (bounded, `capture`), the policy files as read (`capture::Recorded`), the facts
//! file, sovra's version, the date judged against, the report view model JSON, and the
//! searchable summary (verdict, score, SEAL level, functions, licence classes,
//! jurisdictions) in plain indexed columns, so search never parses JSON. Assessments
//! are never changed: the same candidate again is a new version. Every write records
//! who did what in `audit_log` in the same transaction; triggers refuse to change or
//! delete that log on both databases.

mod capture;
mod import;
mod query;
mod read;
mod run;

use std::borrow::Cow;

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row};

use crate::error::{Error, Result};

#[allow(unused_imports, reason = "the interface `serve` builds on")]
pub(crate) use import::{ImportReport, import_publiccode};
#[allow(unused_imports, reason = "the interface `serve` builds on")]
pub(crate) use query::{
    AssessmentDetail, AssessmentRow, AuditEntry, CandidateDetail, Diff, FindingChange, FindingRow,
    FunctionEntry, InputRow, Search, SearchPage, Summary, Withdrawal,
};
pub(crate) use read::Weigh;
#[allow(unused_imports, reason = "the interface `serve` builds on")]
pub(crate) use run::{AddRequest, Prepared, Reproduced, prepare};

/// The policy the catalogue judges by unless one is named: the one `score`, `report`
/// and `compare` apply.
pub(crate) const DEFAULT_POLICY: &str = crate::policy::PUBLIC_BUYER_POLICY;

/// One migration of both dialects: version, description, SQLite text, PostgreSQL text.
type Versioned = (i64, &'static str, &'static str, &'static str);

/// Every migration, in version order. `tests` checks that each file in the migration
/// directories is listed here.
const MIGRATIONS: &[Versioned] = &[
    (
        1,
        "catalogue",
        include_str!("migrations/sqlite/0001_catalogue.sql"),
        include_str!("migrations/postgres/0001_catalogue.sql"),
    ),
    (
        2,
        "search_index",
        include_str!("migrations/sqlite/0002_search_index.sql"),
        include_str!("migrations/postgres/0002_search_index.sql"),
    ),
    (
        3,
        "generation",
        include_str!("migrations/sqlite/0003_generation.sql"),
        include_str!("migrations/postgres/0003_generation.sql"),
    ),
    (
        4,
        "views",
        include_str!("migrations/sqlite/0004_views.sql"),
        include_str!("migrations/postgres/0004_views.sql"),
    ),
    (
        5,
        "withdrawn",
        include_str!("migrations/sqlite/0005_withdrawn.sql"),
        include_str!("migrations/postgres/0005_withdrawn.sql"),
    ),
    (
        100,
        "serve",
        include_str!("migrations/sqlite/0100_serve.sql"),
        include_str!("migrations/postgres/0100_serve.sql"),
    ),
];

/// The database behind a [`Store`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Backend {
    Sqlite,
    Postgres,
}

/// An open catalogue. Cheap to clone (a shared connection pool).
#[derive(Debug, Clone)]
pub(crate) struct Store {
    pool: AnyPool,
    backend: Backend,
    /// The URL as the user may see it (a password left out).
    shown: String,
    /// The read model that search answers from (`read`), shared by the clones.
    read: std::sync::Arc<read::Cache>,
}

/// A write in progress: queries of serve's own and [`Tx::audit`] in one transaction.
#[derive(Debug)]
pub(crate) struct Tx {
    tx: sqlx::Transaction<'static, sqlx::Any>,
    shown: String,
    /// An audit record was written: the commit raises the catalogue's generation.
    audited: bool,
}

impl Tx {
    /// The connection, for queries of the caller's own.
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        &mut self.tx
    }

    /// Records `actor` doing `action` on `subject` (with `detail`) in the audit log, in
    /// this transaction: the record and the write stand or fall together.
    pub(crate) async fn audit(
        &mut self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<()> {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(now())
        .bind(actor)
        .bind(action)
        .bind(subject)
        .bind(detail)
        .execute(&mut *self.tx)
        .await
        .map_err(|e| db_error(&self.shown, &e))?;
        self.audited = true;
        Ok(())
    }

    /// Commits; an audited write first raises the catalogue's generation, last so that
    /// every writer takes that row's lock in the same order (no deadlock on
    /// PostgreSQL), and in the same transaction so no reader sees the write under the
    /// old generation (`read`).
    pub(crate) async fn commit(mut self) -> Result<()> {
        if self.audited {
            sqlx::query("UPDATE catalogue_state SET generation = generation + 1 WHERE id = 1")
                .execute(&mut *self.tx)
                .await
                .map_err(|e| db_error(&self.shown, &e))?;
        }
        let shown = self.shown;
        self.tx.commit().await.map_err(|e| db_error(&shown, &e))
    }
}

impl Store {
    /// Opens the catalogue at `url` and brings its schema up to date: a path or
    /// `sqlite:` URL is a SQLite file (created when missing), `postgres://` (or
    /// `postgresql://`) a PostgreSQL database that must exist.
    pub(crate) async fn open(url: &str) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let (url, backend) = connect_url(url)?;
        let shown = redact(&url);
        let mut options = AnyPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(std::time::Duration::from_secs(30));
        if backend == Backend::Sqlite {
            options = options.after_connect(|conn, _| {
                Box::pin(async move {
                    use sqlx::Executor;
                    // Readers do not block the writer; a writer waits for another.
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            });
        }
        let pool = options
            .connect(&url)
            .await
            .map_err(|e| db_error(&shown, &e))?;
        if backend == Backend::Sqlite {
            sqlx::query("PRAGMA journal_mode = WAL")
                .fetch_optional(&pool)
                .await
                .map_err(|e| db_error(&shown, &e))?;
        }
        let store = Store {
            pool,
            backend,
            shown,
            read: std::sync::Arc::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let migrations = MIGRATIONS
            .iter()
            .map(|(version, description, sqlite, postgres)| {
                let sql = match self.backend {
                    Backend::Sqlite => sqlite,
                    Backend::Postgres => postgres,
                };
                Migration::new(
                    *version,
                    Cow::Borrowed(*description),
                    MigrationType::Simple,
                    sqlx::SqlStr::from_static(sql),
                    false,
                )
            })
            .collect();
        Migrator::with_migrations(migrations)
            .run(&self.pool)
            .await
            .map_err(|e| {
                Error::External(format!(
                    "cannot migrate the catalogue `{}`: {e}",
                    self.shown
                ))
            })
    }

    #[allow(dead_code, reason = "used by `serve`")]
    pub(crate) fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for serve's own tables.
    #[allow(dead_code, reason = "used by `serve`")]
    pub(crate) fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// The database's URL without its password, for messages.
    #[allow(dead_code, reason = "used by `serve`")]
    pub(crate) fn shown(&self) -> &str {
        &self.shown
    }

    /// Starts a write. On SQLite the write lock is taken at once (`BEGIN IMMEDIATE`),
    /// so concurrent writers wait for each other instead of failing on upgrade.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        let tx = match self.backend {
            Backend::Sqlite => self.pool.begin_with("BEGIN IMMEDIATE").await,
            Backend::Postgres => self.pool.begin().await,
        }
        .map_err(|e| self.err(&e))?;
        Ok(Tx {
            tx,
            shown: self.shown.clone(),
            audited: false,
        })
    }

    /// Records one action that changed nothing else (a login, a refused write).
    #[allow(dead_code, reason = "used by `serve`")]
    pub(crate) async fn record(
        &self,
        actor: &str,
        action: &str,
        subject: &str,
        detail: &str,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(actor, action, subject, detail).await?;
        tx.commit().await
    }

    /// Assesses the inputs of `req` (on a blocking thread) and stores the result as a
    /// new version of its candidate.
    pub(crate) async fn add(&self, req: AddRequest, actor: &str) -> Result<AssessmentRow> {
        let prepared = tokio::task::spawn_blocking(move || prepare(&req))
            .await
            .map_err(|e| Error::External(format!("the assessment did not finish: {e}")))??;
        self.insert(&prepared, actor).await
    }

    fn err(&self, e: &sqlx::Error) -> Error {
        db_error(&self.shown, e)
    }
}

/// The connection URL for `url` and its backend. A plain path is a SQLite file; a
/// SQLite file is created when missing.
fn connect_url(url: &str) -> Result<(String, Backend)> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return Ok((url.to_owned(), Backend::Postgres));
    }
    if url.is_empty() {
        return Err(Error::Usage(
            "no catalogue given: pass `--db PATH` or a `postgres://` URL (or set SOVRA_DB)".into(),
        ));
    }
    if let Some(rest) = url.strip_prefix("sqlite:") {
        let mut u = format!("sqlite:{rest}");
        if !rest.contains("mode=") {
            u.push(if rest.contains('?') { '&' } else { '?' });
            u.push_str("mode=rwc");
        }
        return Ok((u, Backend::Sqlite));
    }
    if url.contains("://") {
        return Err(Error::Usage(format!(
            "`{}` is neither a file path nor a `sqlite:` or `postgres://` URL",
            redact(url)
        )));
    }
    // What the driver's URL parsing would take for something else: `%`, `?`, `#`,
    // spaces and control characters.
    const SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'%')
        .add(b'?')
        .add(b'#');
    let encoded = percent_encoding::utf8_percent_encode(url, SET).to_string();
    Ok((format!("sqlite://{encoded}?mode=rwc"), Backend::Sqlite))
}

/// `url` with the password of its user info replaced by `***`.
fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (auth, host) = match rest.rsplit_once('@') {
        Some(x) => x,
        None => return url.to_owned(),
    };
    match auth.split_once(':') {
        Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

fn db_error(shown: &str, e: &sqlx::Error) -> Error {
    Error::External(format!("catalogue `{shown}`: {e}"))
}

/// Now, as RFC 3339 in UTC to the second: the time of a stored record.
fn now() -> String {
    jiff::Timestamp::now()
        .strftime("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

fn text(row: &AnyRow, col: &str) -> String {
    row.try_get::<String, _>(col).unwrap_or_default()
}

fn opt_text(row: &AnyRow, col: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(col).ok().flatten()
}

fn int(row: &AnyRow, col: &str) -> i64 {
    row.try_get::<i64, _>(col).unwrap_or_default()
}

fn opt_int(row: &AnyRow, col: &str) -> Option<i64> {
    row.try_get::<Option<i64>, _>(col).ok().flatten()
}

fn opt_real(row: &AnyRow, col: &str) -> Option<f64> {
    row.try_get::<Option<f64>, _>(col).ok().flatten()
}

/// The bytes of a stored, zstd-compressed blob.
fn unpack(bytes: &[u8]) -> Result<Vec<u8>> {
    zstd::decode_all(bytes).map_err(|e| Error::External(format!("a stored blob is damaged: {e}")))
}

fn pack(bytes: &[u8]) -> Result<Vec<u8>> {
    zstd::encode_all(bytes, 3).map_err(|e| Error::External(format!("cannot compress: {e}")))
}

#[cfg(test)]
mod tests;
