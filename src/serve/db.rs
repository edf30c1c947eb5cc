//! The server's own tables: users, API tokens, sessions and the job queue (migrations
//! `0100` on in `src/store/migrations/{sqlite,postgres}/`), over the store's pool.
//!
//! Times are milliseconds since the epoch (`BIGINT`), so one SQL text serves SQLite and
//! PostgreSQL. A job's uploaded files are rows of `serve_job_files`, written in the
//! same transaction as the job and its audit entry: an upload answered with 202 is in
//! the database.

use sqlx::Row;

use super::auth::Role;
use crate::error::{Error, Result};

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The database behind the server.
#[derive(Debug, Clone)]
pub(crate) struct Db {
    pub pool: sqlx::AnyPool,
    pub postgres: bool,
}

fn db_err(e: sqlx::Error) -> Error {
    Error::External(format!("database: {e}"))
}

/// A stored user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    pub name: String,
    pub password_hash: String,
}

/// A signed-in session.
#[derive(Debug, Clone)]
pub(crate) struct Session {
    pub user: String,
    pub role: Role,
    pub csrf: String,
}

/// One job of the queue.
#[derive(Debug, Clone)]
pub(crate) struct Job {
    pub id: String,
    pub state: String,
    pub step: String,
    pub created_ms: i64,
    pub updated_ms: i64,
    pub attempts: i64,
    pub assessment_id: Option<i64>,
    pub candidate_id: Option<i64>,
    pub error: Option<String>,
}

/// A job claimed by a worker.
#[derive(Debug, Clone)]
pub(crate) struct Claimed {
    pub id: String,
    pub actor: String,
    pub attempts: i64,
}

const SCHEMA_SQLITE: &str = include_str!("../store/migrations/sqlite/0100_serve.sql");
const SCHEMA_POSTGRES: &str = include_str!("../store/migrations/postgres/0100_serve.sql");

/// The claim of [`Db::claim`]: the oldest job that is queued or whose lease expired.
/// PostgreSQL skips rows another instance is claiming at this moment; SQLite has one
/// writer at a time.
const CLAIM_POSTGRES: &str = "UPDATE serve_jobs SET state = 'running', owner = $1, \
     lease_until_ms = $2, attempts = attempts + 1, updated_ms = $3 \
     WHERE id = (SELECT id FROM serve_jobs \
       WHERE state = 'queued' OR (state = 'running' AND lease_until_ms < $3) \
       ORDER BY created_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED) \
     RETURNING id, actor, attempts";
const CLAIM_SQLITE: &str = "UPDATE serve_jobs SET state = 'running', owner = $1, \
     lease_until_ms = $2, attempts = attempts + 1, updated_ms = $3 \
     WHERE id = (SELECT id FROM serve_jobs \
       WHERE state = 'queued' OR (state = 'running' AND lease_until_ms < $3) \
       ORDER BY created_ms, id LIMIT 1) \
     RETURNING id, actor, attempts";

fn role(s: &str) -> Result<Role> {
    Role::parse(s).ok_or_else(|| Error::External(format!("database: unknown role `{s}`")))
}

impl Db {
    /// Opens (and creates, for a new SQLite file) the database and brings its schema up
    /// to date.
    pub(crate) async fn open(url: &str) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let postgres = url.starts_with("postgres://") || url.starts_with("postgresql://");
        let url = if postgres {
            url.to_owned()
        } else {
            let path = url.strip_prefix("sqlite://").unwrap_or(url);
            format!("sqlite://{path}?mode=rwc")
        };
        let pool = sqlx::any::AnyPoolOptions::new()
            .max_connections(if postgres { 16 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if !postgres {
                        use sqlx::Executor;
                        conn.execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL")
                            .await?;
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await
            .map_err(|e| Error::Usage(format!("cannot open the catalogue `{url}`: {e}")))?;
        let db = Db { pool, postgres };
        let schema = if postgres {
            SCHEMA_POSTGRES
        } else {
            SCHEMA_SQLITE
        };
        sqlx::raw_sql(schema)
            .execute(&db.pool)
            .await
            .map_err(db_err)?;
        Ok(db)
    }

    pub(crate) async fn close(&self) {
        self.pool.close().await;
    }

    /// Adds a user, or sets the role and password of an existing one.
    pub(crate) async fn put_user(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done =
            sqlx::query("UPDATE serve_users SET role = $1, password_hash = $2 WHERE name = $3")
                .bind(role.as_str())
                .bind(hash)
                .bind(name)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        if done.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO serve_users (name, role, password_hash, created_ms) VALUES ($1, $2, $3, $4)",
            )
            .bind(name)
            .bind(role.as_str())
            .bind(hash)
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        audit(&mut tx, actor, "user-put", name, role.as_str()).await?;
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn user(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT name, password_hash FROM serve_users WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|r| {
            Ok(User {
                name: r.try_get(0).map_err(db_err)?,
                password_hash: r.try_get(1).map_err(db_err)?,
            })
        })
        .transpose()
    }

    /// Stores a token by its digest.
    pub(crate) async fn add_token(
        &self,
        name: &str,
        role: Role,
        digest: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO serve_tokens (digest, name, role, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(name)
        .bind(role.as_str())
        .bind(now_ms())
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        audit(&mut tx, actor, "token-add", name, role.as_str()).await?;
        tx.commit().await.map_err(db_err)
    }

    /// The name and role of the token with this digest.
    pub(crate) async fn token(&self, digest: &str) -> Result<Option<(String, Role)>> {
        let row = sqlx::query("SELECT name, role FROM serve_tokens WHERE digest = $1")
            .bind(digest)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|r| {
            Ok((
                r.try_get(0).map_err(db_err)?,
                role(&r.try_get::<String, _>(1).map_err(db_err)?)?,
            ))
        })
        .transpose()
    }

    /// Starts a session (and forgets expired ones), audited as a login.
    pub(crate) async fn add_session(
        &self,
        digest: &str,
        user: &str,
        csrf: &str,
        expires_ms: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("DELETE FROM serve_sessions WHERE expires_ms < $1")
            .bind(now_ms())
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO serve_sessions (digest, user_name, csrf, expires_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(user)
        .bind(csrf)
        .bind(expires_ms)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        audit(&mut tx, &format!("user:{user}"), "login", user, "").await?;
        tx.commit().await.map_err(db_err)
    }

    /// The unexpired session with this digest, with its user's current role.
    pub(crate) async fn session(&self, digest: &str) -> Result<Option<Session>> {
        let row = sqlx::query(
            "SELECT s.user_name, u.role, s.csrf FROM serve_sessions s \
             JOIN serve_users u ON u.name = s.user_name \
             WHERE s.digest = $1 AND s.expires_ms > $2",
        )
        .bind(digest)
        .bind(now_ms())
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| {
            Ok(Session {
                user: r.try_get(0).map_err(db_err)?,
                role: role(&r.try_get::<String, _>(1).map_err(db_err)?)?,
                csrf: r.try_get(2).map_err(db_err)?,
            })
        })
        .transpose()
    }

    /// Ends a session, audited as a logout.
    pub(crate) async fn end_session(&self, digest: &str, actor: &str) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query("DELETE FROM serve_sessions WHERE digest = $1")
            .bind(digest)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        audit(&mut tx, actor, "logout", actor, "").await?;
        tx.commit().await.map_err(db_err)
    }

    /// Queues a job with its files, in one transaction with its audit entry.
    pub(crate) async fn enqueue(
        &self,
        id: &str,
        actor: &str,
        files: &[super::unpack::Upload],
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        sqlx::query(
            "INSERT INTO serve_jobs (id, state, step, actor, created_ms, updated_ms, lease_until_ms, attempts) \
             VALUES ($1, 'queued', 'queued', $2, $3, $3, 0, 0)",
        )
        .bind(id)
        .bind(actor)
        .bind(now)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        for (i, f) in files.iter().enumerate() {
            sqlx::query(
                "INSERT INTO serve_job_files (job_id, seq, name, bytes) VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(i64::try_from(i).unwrap_or(i64::MAX))
            .bind(&f.name)
            .bind(&f.bytes)
            .execute(&mut *tx)
            .await
            .map_err(db_err)?;
        }
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        audit(&mut tx, actor, "upload", id, &names.join(", ")).await?;
        tx.commit().await.map_err(db_err)
    }

    /// Claims the oldest job that is queued or whose lease has expired, for `lease_ms`.
    pub(crate) async fn claim(&self, owner: &str, lease_ms: i64) -> Result<Option<Claimed>> {
        let now = now_ms();
        let sql = if self.postgres {
            CLAIM_POSTGRES
        } else {
            CLAIM_SQLITE
        };
        let row = sqlx::query(sql)
            .bind(owner)
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(&self.pool)
            .await
            .map_err(db_err)?;
        row.map(|r| {
            Ok(Claimed {
                id: r.try_get(0).map_err(db_err)?,
                actor: r.try_get(1).map_err(db_err)?,
                attempts: r.try_get(2).map_err(db_err)?,
            })
        })
        .transpose()
    }

    /// Renews the lease and records the step; `false` when the job is no longer this
    /// owner's (its lease expired and another worker took it).
    pub(crate) async fn renew(
        &self,
        id: &str,
        owner: &str,
        step: &str,
        lease_ms: i64,
    ) -> Result<bool> {
        let now = now_ms();
        let done = sqlx::query(
            "UPDATE serve_jobs SET lease_until_ms = $1, step = $2, updated_ms = $3 \
             WHERE id = $4 AND owner = $5 AND state = 'running'",
        )
        .bind(now + lease_ms)
        .bind(step)
        .bind(now)
        .bind(id)
        .bind(owner)
        .execute(&self.pool)
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn job_files(&self, id: &str) -> Result<Vec<super::unpack::Upload>> {
        let rows =
            sqlx::query("SELECT name, bytes FROM serve_job_files WHERE job_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(&self.pool)
                .await
                .map_err(db_err)?;
        rows.into_iter()
            .map(|r| {
                Ok(super::unpack::Upload {
                    name: r.try_get(0).map_err(db_err)?,
                    bytes: r.try_get(1).map_err(db_err)?,
                })
            })
            .collect()
    }

    /// Marks a job failed (when it is still this owner's).
    pub(crate) async fn fail(&self, id: &str, owner: &str, error: &str) -> Result<()> {
        let mut tx = self.pool.begin().await.map_err(db_err)?;
        let done = sqlx::query(
            "UPDATE serve_jobs SET state = 'failed', step = 'failed', error = $1, updated_ms = $2 \
             WHERE id = $3 AND owner = $4 AND state = 'running'",
        )
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .bind(owner)
        .execute(&mut *tx)
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 1 {
            sqlx::query("DELETE FROM serve_job_files WHERE job_id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(db_err)?;
        }
        tx.commit().await.map_err(db_err)
    }

    pub(crate) async fn job(&self, id: &str) -> Result<Option<Job>> {
        let row = sqlx::query(
            "SELECT id, state, step, created_ms, updated_ms, attempts, assessment_id, candidate_id, error \
             FROM serve_jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await
        .map_err(db_err)?;
        row.map(|r| {
            Ok(Job {
                id: r.try_get(0).map_err(db_err)?,
                state: r.try_get(1).map_err(db_err)?,
                step: r.try_get(2).map_err(db_err)?,
                created_ms: r.try_get(3).map_err(db_err)?,
                updated_ms: r.try_get(4).map_err(db_err)?,
                attempts: r.try_get(5).map_err(db_err)?,
                assessment_id: r.try_get(6).map_err(db_err)?,
                candidate_id: r.try_get(7).map_err(db_err)?,
                error: r.try_get(8).map_err(db_err)?,
            })
        })
        .transpose()
    }
}

/// Records a write in the audit log inside the write's own transaction.
pub(crate) async fn audit(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: &str,
    action: &str,
    subject: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO serve_audit (at_ms, actor, action, subject, detail) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(now_ms())
    .bind(actor)
    .bind(action)
    .bind(subject)
    .bind(detail)
    .execute(&mut **tx)
    .await
    .map_err(db_err)?;
    Ok(())
}
