//! What `sovra serve user add` and `sovra serve token add` do to the database, each
//! write recorded in the audit log with the operator's account as its actor.

use super::auth::{self, Role};
use super::db::Db;
use crate::error::{Error, Result};

fn block_on<T>(f: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::External(format!("cannot start the runtime: {e}")))?
        .block_on(f)
}

/// The actor of a command-line write: `cli:` and the operating-system user.
pub(crate) fn operator() -> String {
    let user = std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .unwrap_or_else(|_| "unknown".to_owned());
    format!("cli:{user}")
}

/// Adds the user (or sets its role and password hash).
pub(crate) fn add_user(db: &str, name: &str, role: Role, hash: &str) -> Result<()> {
    block_on(async {
        let db = Db::open(db).await?;
        db.put_user(name, role, hash, &operator()).await?;
        db.close().await;
        Ok(())
    })
}

/// Creates a token and returns it; only its digest is stored.
pub(crate) fn add_token(db: &str, name: &str, role: Role) -> Result<String> {
    let token = auth::secret().map_err(|e| Error::External(format!("no randomness: {e}")))?;
    block_on(async {
        let db = Db::open(db).await?;
        db.add_token(name, role, &auth::digest(&token), &operator())
            .await?;
        db.close().await;
        Ok(())
    })?;
    Ok(token)
}
