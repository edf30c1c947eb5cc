//! The server's own tables: users, API tokens, sessions and the job queue (migrations
//! `0100` on in `src/store/migrations/{sqlite,postgres}/`), over the store's pool.
//!
//! Times are milliseconds since the epoch (`BIGINT`), so one SQL text serves SQLite and
//! PostgreSQL. A job's uploaded files are rows of `serve_job_files`, written in the
//! same transaction as the job and its audit entry (the store's `audit_log`): an upload
//! answered with 202 is in the database.

use sqlx::Row;

use super::auth::Role;
use crate::error::{Error, Result};

/// Milliseconds since the epoch.
pub(crate) fn now_ms() -> i64 {
    jiff::Timestamp::now().as_millisecond()
}

/// The database behind the server: the catalogue's store and the server's tables.
#[derive(Debug, Clone)]
pub(crate) struct Db {
    pub store: crate::store::Store,
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
    /// Opens the catalogue (created when a new SQLite file) and brings its schema,
    /// the server's tables included, up to date.
    pub(crate) async fn open(url: &str) -> Result<Db> {
        Ok(Db {
            store: crate::store::Store::open(url).await?,
        })
    }

    fn pool(&self) -> &sqlx::AnyPool {
        self.store.pool()
    }

    pub(crate) async fn close(&self) {
        self.pool().close().await;
    }

    /// Records the policy uploads are judged by in the audit log when it differs from
    /// the one the last start recorded: a bundled name, or a file's path with the
    /// SHA-256 of its text (an edited file is a change too).
    pub(crate) async fn record_policy(&self, policy: &str) -> Result<()> {
        let path = std::path::Path::new(policy);
        let detail = if path.is_absolute() {
            let bytes = crate::ingest::read_bounded(path, crate::ingest::DEFAULT_MAX_FILE_BYTES)?;
            format!("{policy} sha256:{}", crate::digest::sha256_hex(&bytes))
        } else {
            policy.to_owned()
        };
        let last: Option<String> = sqlx::query(
            "SELECT detail FROM audit_log WHERE action = 'serve-policy' ORDER BY id DESC LIMIT 1",
        )
        .fetch_optional(self.pool())
        .await
        .map_err(db_err)?
        .map(|r| r.try_get::<String, _>("detail").unwrap_or_default());
        if last.as_deref() == Some(detail.as_str()) {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        tx.audit(
            &super::admin::operator(),
            "serve-policy",
            "uploads",
            &detail,
        )
        .await?;
        tx.commit().await
    }

    /// Adds a user, or sets the role and password of an existing one.
    pub(crate) async fn put_user(
        &self,
        name: &str,
        role: Role,
        hash: &str,
        actor: &str,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let done =
            sqlx::query("UPDATE serve_users SET role = $1, password_hash = $2 WHERE name = $3")
                .bind(role.as_str())
                .bind(hash)
                .bind(name)
                .execute(tx.conn())
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
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        }
        tx.audit(actor, "user-put", name, role.as_str()).await?;
        tx.commit().await
    }

    pub(crate) async fn user(&self, name: &str) -> Result<Option<User>> {
        let row = sqlx::query("SELECT name, password_hash FROM serve_users WHERE name = $1")
            .bind(name)
            .fetch_optional(self.pool())
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
        let mut tx = self.store.begin().await?;
        sqlx::query(
            "INSERT INTO serve_tokens (digest, name, role, created_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(name)
        .bind(role.as_str())
        .bind(now_ms())
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.audit(actor, "token-add", name, role.as_str()).await?;
        tx.commit().await
    }

    /// The name and role of the token with this digest.
    pub(crate) async fn token(&self, digest: &str) -> Result<Option<(String, Role)>> {
        let row = sqlx::query("SELECT name, role FROM serve_tokens WHERE digest = $1")
            .bind(digest)
            .fetch_optional(self.pool())
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
        let mut tx = self.store.begin().await?;
        sqlx::query("DELETE FROM serve_sessions WHERE expires_ms < $1")
            .bind(now_ms())
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        sqlx::query(
            "INSERT INTO serve_sessions (digest, user_name, csrf, expires_ms) VALUES ($1, $2, $3, $4)",
        )
        .bind(digest)
        .bind(user)
        .bind(csrf)
        .bind(expires_ms)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        tx.audit(&format!("user:{user}"), "login", user, "").await?;
        tx.commit().await
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
        .fetch_optional(self.pool())
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
        let mut tx = self.store.begin().await?;
        sqlx::query("DELETE FROM serve_sessions WHERE digest = $1")
            .bind(digest)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        tx.audit(actor, "logout", actor, "").await?;
        tx.commit().await
    }

    /// Queues a job with its files, in one transaction with its audit entry.
    pub(crate) async fn enqueue(
        &self,
        id: &str,
        actor: &str,
        files: &[super::unpack::Upload],
    ) -> Result<()> {
        let now = now_ms();
        let mut tx = self.store.begin().await?;
        sqlx::query(
            "INSERT INTO serve_jobs (id, state, step, actor, created_ms, updated_ms, lease_until_ms, attempts) \
             VALUES ($1, 'queued', 'queued', $2, $3, $3, 0, 0)",
        )
        .bind(id)
        .bind(actor)
        .bind(now)
        .execute(tx.conn())
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
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        }
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        tx.audit(actor, "upload", id, &names.join(", ")).await?;
        tx.commit().await
    }

    /// Claims the oldest job that is queued or whose lease has expired, for `lease_ms`.
    pub(crate) async fn claim(&self, owner: &str, lease_ms: i64) -> Result<Option<Claimed>> {
        let now = now_ms();
        let sql = if self.store.backend() == crate::store::Backend::Postgres {
            CLAIM_POSTGRES
        } else {
            CLAIM_SQLITE
        };
        let row = sqlx::query(sql)
            .bind(owner)
            .bind(now + lease_ms)
            .bind(now)
            .fetch_optional(self.pool())
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
        .execute(self.pool())
        .await
        .map_err(db_err)?;
        Ok(done.rows_affected() == 1)
    }

    pub(crate) async fn job_files(&self, id: &str) -> Result<Vec<super::unpack::Upload>> {
        let rows =
            sqlx::query("SELECT name, bytes FROM serve_job_files WHERE job_id = $1 ORDER BY seq")
                .bind(id)
                .fetch_all(self.pool())
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
        let mut tx = self.store.begin().await?;
        let done = sqlx::query(
            "UPDATE serve_jobs SET state = 'failed', step = 'failed', error = $1, updated_ms = $2 \
             WHERE id = $3 AND owner = $4 AND state = 'running'",
        )
        .bind(error)
        .bind(now_ms())
        .bind(id)
        .bind(owner)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        if done.rows_affected() == 1 {
            sqlx::query("DELETE FROM serve_job_files WHERE job_id = $1")
                .bind(id)
                .execute(tx.conn())
                .await
                .map_err(db_err)?;
        }
        tx.commit().await
    }

    /// Stores a prepared assessment and completes the job in one transaction, when the
    /// job is still this owner's; otherwise nothing is stored (the worker that took the
    /// job over stores it).
    pub(crate) async fn complete(
        &self,
        id: &str,
        owner: &str,
        actor: &str,
        prepared: &crate::store::Prepared,
    ) -> Result<()> {
        let mut tx = self.store.begin().await?;
        let held = sqlx::query(
            "UPDATE serve_jobs SET state = 'done', step = 'done', updated_ms = $1 \
             WHERE id = $2 AND owner = $3 AND state = 'running'",
        )
        .bind(now_ms())
        .bind(id)
        .bind(owner)
        .execute(tx.conn())
        .await
        .map_err(db_err)?;
        if held.rows_affected() != 1 {
            return Ok(());
        }
        let (assessment, candidate) = self.store.insert_in(&mut tx, prepared, actor).await?;
        sqlx::query("UPDATE serve_jobs SET assessment_id = $1, candidate_id = $2 WHERE id = $3")
            .bind(assessment)
            .bind(candidate)
            .bind(id)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        sqlx::query("DELETE FROM serve_job_files WHERE job_id = $1")
            .bind(id)
            .execute(tx.conn())
            .await
            .map_err(db_err)?;
        tx.commit().await
    }

    pub(crate) async fn job(&self, id: &str) -> Result<Option<Job>> {
        let row = sqlx::query(
            "SELECT id, state, step, created_ms, updated_ms, attempts, assessment_id, candidate_id, error \
             FROM serve_jobs WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.pool())
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
