//! `sovra serve`: the catalogue's web pages and JSON API; `sovra serve user add` and
//! `sovra serve token add` set up who may sign in.

use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::time::Duration;

use super::Status;
use crate::error::{Error, Result};
use crate::serve::{self, ReadAccess, auth::Role};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub(crate) struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    run: RunArgs,
}

#[derive(Debug, clap::Subcommand)]
enum Command {
    /// Manage users who sign in on the pages
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens
    #[command(subcommand)]
    Token(TokenCommand),
}

#[derive(Debug, clap::Subcommand)]
enum UserCommand {
    /// Add a user, or set an existing user's role and password; the password is read
    /// from `SOVRA_PASSWORD`, else from the first line of stdin
    Add(AccountArgs),
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Create an API token and print it once (it is stored hashed)
    Add(AccountArgs),
}

#[derive(Debug, clap::Args)]
struct AccountArgs {
    /// The user's or token's name (letters, digits, `.`, `_`, `-`, `@`)
    name: String,
    /// What it may do: `reader` reads, `assessor` also uploads, `admin` also deletes
    #[arg(long, value_parser = ["reader", "assessor", "admin"])]
    role: String,
    #[command(flatten)]
    db: DbArg,
}

#[derive(Debug, Clone, clap::Args)]
struct DbArg {
    /// The catalogue: a file path (SQLite, created when missing) or a
    /// `postgres://` URL
    /// [env: SOVRA_DB]
    #[arg(long, value_name = "URL")]
    db: Option<String>,
}

#[derive(Debug, clap::Args)]
struct RunArgs {
    /// The catalogue: a file path (SQLite, created when missing) or a
    /// `postgres://` URL
    /// [env: SOVRA_DB]
    #[arg(long, value_name = "URL")]
    db: Option<String>,
    /// Address to listen on (`127.0.0.1:0` picks a free port, printed on stderr)
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Whether reading needs a login: `open` or `login`; writing always does
    #[arg(long, value_enum, default_value = "open")]
    read_access: ReadAccess,
    /// Send session cookies without `Secure`, for plain HTTP on one's own machine
    /// (behind HTTPS, leave it off)
    #[arg(long)]
    insecure_cookies: bool,
    /// Largest upload in MiB; a larger request is answered with 413
    #[arg(long, value_name = "MIB", default_value_t = 64,
          value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_upload: u64,
    /// Background workers assessing uploads
    #[arg(long, value_name = "N", default_value_t = 2,
          value_parser = clap::value_parser!(u64).range(0..=64))]
    workers: u64,
    /// Seconds a worker's claim on a job lasts without renewal; a killed server's
    /// jobs are taken over once it has passed
    #[arg(long, value_name = "SECS", default_value_t = 30,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    lease: u64,
    /// Directory jobs unpack their uploads in (one directory per job, removed when
    /// it ends); default: the system's temporary directory
    #[arg(long, value_name = "DIR")]
    work_dir: Option<PathBuf>,
    /// The policy uploads are judged by: a bundled name or a file (default:
    /// de-public-sector). Only whoever runs the server sets it; a start with another
    /// policy than the last one is recorded in the audit log
    #[arg(long, value_name = "POLICY")]
    policy: Option<String>,
    /// Hours a login lasts
    #[arg(long, value_name = "HOURS", default_value_t = 8,
          value_parser = clap::value_parser!(u64).range(1..=720))]
    session_hours: u64,
}

pub(crate) fn run(args: Args) -> Result<Status> {
    match args.command {
        Some(Command::User(UserCommand::Add(a))) => user_add(a),
        Some(Command::Token(TokenCommand::Add(a))) => token_add(a),
        None => {
            let r = args.run;
            let db = database(r.db)?;
            serve::run(serve::Config {
                db,
                listen: r.listen,
                read_access: r.read_access,
                insecure_cookies: r.insecure_cookies,
                max_upload: r.max_upload << 20,
                workers: usize::try_from(r.workers).unwrap_or(1),
                lease: Duration::from_secs(r.lease),
                work_dir: r
                    .work_dir
                    .unwrap_or_else(|| std::env::temp_dir().join("sovra-serve")),
                session_ttl: Duration::from_secs(r.session_hours * 3600),
                policy: serve_policy(r.policy)?,
            })?;
            Ok(Status::Clean)
        }
    }
}

/// `--policy` for uploads: a bundled name as it is, a file by its absolute path (jobs
/// run in other directories), loaded once now so that a bad policy fails the start.
fn serve_policy(flag: Option<String>) -> Result<String> {
    let spec = flag.unwrap_or_else(|| crate::store::DEFAULT_POLICY.to_owned());
    let spec = if crate::policy::bundled_names().contains(&spec.as_str()) {
        spec
    } else {
        let path = std::path::Path::new(&spec);
        std::fs::canonicalize(path)
            .map_err(|e| Error::io(path, e))?
            .to_string_lossy()
            .into_owned()
    };
    let mut catalogue = crate::engine::embedded_catalogue()?;
    crate::policy::load(
        &crate::policy::PolicyRequest {
            policy: Some(spec.clone()),
            project: None,
        },
        &mut catalogue,
        &crate::assess::FILES,
    )?;
    Ok(spec)
}

/// `--db`, else `SOVRA_DB`.
fn database(flag: Option<String>) -> Result<String> {
    flag.or_else(|| std::env::var("SOVRA_DB").ok().filter(|v| !v.is_empty()))
        .ok_or_else(|| Error::Usage("`sovra serve` needs `--db URL` (or SOVRA_DB)".to_owned()))
}

fn account(a: &AccountArgs) -> Result<Role> {
    if !serve::auth::valid_name(&a.name) {
        return Err(Error::Usage(format!(
            "`{}` is not a name: use 1 to 64 letters, digits, `.`, `_`, `-` or `@`",
            a.name.escape_debug()
        )));
    }
    Role::parse(&a.role).ok_or_else(|| Error::Usage(format!("unknown role `{}`", a.role)))
}

fn password() -> Result<String> {
    let p = match std::env::var("SOVRA_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .map_err(|e| Error::io(std::path::Path::new("<stdin>"), e))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    if p.chars().count() < 8 {
        return Err(Error::Usage(
            "the password (SOVRA_PASSWORD or the first line of stdin) must have at least 8 characters"
                .to_owned(),
        ));
    }
    Ok(p)
}

fn user_add(a: AccountArgs) -> Result<Status> {
    let role = account(&a)?;
    let password = password()?;
    let hash = serve::auth::hash_password(&password)
        .map_err(|e| Error::External(format!("cannot hash the password: {e}")))?;
    serve::admin::add_user(&database(a.db.db.clone())?, &a.name, role, &hash)?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "user `{}` may sign in as {role}", a.name);
    Ok(Status::Clean)
}

fn token_add(a: AccountArgs) -> Result<Status> {
    let role = account(&a)?;
    let token = serve::admin::add_token(&database(a.db.db.clone())?, &a.name, role)?;
    super::emit(&format!("{token}\n"))?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "token `{}` ({role}) created; it is shown only this once",
        a.name
    );
    Ok(Status::Clean)
}
