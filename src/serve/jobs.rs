//! Background assessment of uploads: a durable job table shared by every server
//! instance on one database, and this instance's workers.
//!
//! A worker claims the oldest queued job, or a running one whose lease expired (its
//! server was killed), with one `UPDATE … RETURNING` (on PostgreSQL the candidate row
//! is picked `FOR UPDATE SKIP LOCKED`, so two instances never claim the same job; on
//! SQLite the database's single writer does the same). While it works it renews the
//! lease. The result is stored in one transaction together with the job's completion,
//! which only succeeds while the job is still this worker's: a job taken over after an
//! expired lease is stored once, by whichever worker finishes while holding it, and a
//! crash at any point leaves either nothing or the whole assessment.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use super::{Shared, unpack};

/// How often an idle worker looks for work.
const POLL: Duration = Duration::from_millis(300);

/// A job interrupted this many times (its server killed while working on it each
/// time) fails instead of being tried again.
pub(crate) const MAX_ATTEMPTS: i64 = 3;

/// Starts the configured number of workers; they end when the server stops.
pub(crate) fn start(app: &Shared) -> Vec<tokio::task::JoinHandle<()>> {
    let tag = super::auth::random_hex(4).unwrap_or_else(|_| "0".to_owned());
    (0..app.config.workers)
        .map(|n| {
            let app = Arc::clone(app);
            let owner = format!("pid{}-{tag}-w{n}", std::process::id());
            tokio::spawn(worker(app, owner))
        })
        .collect()
}

fn log(msg: &str) {
    use std::io::Write;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "sovra serve: {msg}");
}

fn lease_ms(app: &super::App) -> i64 {
    i64::try_from(app.config.lease.as_millis()).unwrap_or(i64::MAX)
}

async fn worker(app: Shared, owner: String) {
    let mut stopping = app.stopping.clone();
    loop {
        if *stopping.borrow() {
            return;
        }
        match app.db.claim(&owner, lease_ms(&app)).await {
            Ok(Some(job)) => run(&app, &owner, job).await,
            Ok(None) => {
                tokio::select! {
                    _ = tokio::time::sleep(POLL) => {}
                    _ = stopping.changed() => {}
                }
            }
            Err(e) => {
                log(&format!("cannot claim a job: {e}"));
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Works on one claimed job to its end (done or failed).
async fn run(app: &Shared, owner: &str, job: crate::serve::db::Claimed) {
    if job.attempts > MAX_ATTEMPTS {
        let msg = format!(
            "the job was interrupted {MAX_ATTEMPTS} times before it could finish; upload the offer again"
        );
        if let Err(e) = app.db.fail(&job.id, owner, &msg).await {
            log(&format!("job {}: {e}", job.id));
        }
        return;
    }
    let step = Arc::new(Mutex::new("unpacking"));
    let beat = heartbeat(
        Arc::clone(app),
        job.id.clone(),
        owner.to_owned(),
        Arc::clone(&step),
    );
    let outcome = work(app, owner, &job, &step).await;
    beat.abort();
    if let Err(msg) = outcome
        && let Err(e) = app.db.fail(&job.id, owner, &msg).await
    {
        log(&format!("job {}: {e}", job.id));
    }
}

/// Renews the job's lease every third of its length, recording the current step.
fn heartbeat(
    app: Shared,
    id: String,
    owner: String,
    step: Arc<Mutex<&'static str>>,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let every = app.config.lease / 3;
        loop {
            let now = *step.lock().unwrap_or_else(PoisonError::into_inner);
            match app.db.renew(&id, &owner, now, lease_ms(&app)).await {
                Ok(true) => {}
                Ok(false) => return,
                Err(e) => log(&format!("job {id}: cannot renew the lease: {e}")),
            }
            tokio::time::sleep(every).await;
        }
    })
}

fn set(step: &Mutex<&'static str>, now: &'static str) {
    *step.lock().unwrap_or_else(PoisonError::into_inner) = now;
}

/// Unpacks, assesses and stores; `Err` is the sentence the job fails with.
async fn work(
    app: &Shared,
    owner: &str,
    job: &crate::serve::db::Claimed,
    step: &Mutex<&'static str>,
) -> Result<(), String> {
    let files = app
        .db
        .job_files(&job.id)
        .await
        .map_err(|e| format!("cannot read the upload: {e}"))?;
    let dir = tempfile::Builder::new()
        .prefix("sovra-job-")
        .tempdir_in(&app.config.work_dir)
        .map_err(|e| format!("cannot create the job's directory: {e}"))?;
    let dest = dir.path().to_path_buf();
    let root = tokio::task::spawn_blocking(move || {
        unpack::unpack(&files, unpack::Limits::default(), &dest)
    })
    .await
    .map_err(|e| format!("unpacking stopped: {e}"))?
    .map_err(|e| e.0)?;
    set(step, "assessing");
    super::fetch::assess_and_store(app, owner, &job.id, &job.actor, root, step).await
}
