//! `sovra init`: write a commented starter `sovra.toml`; never overwrite one.

use std::io::Write as _;
use std::path::PathBuf;

use super::Status;
use crate::error::{Error, Result};
use crate::policy::PROJECT_FILE;

#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Directory to write sovra.toml into
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// The starter policy. Every line that is not a comment is valid as written.
pub(crate) const STARTER: &str = r#"# sovra policy for this project: the last layer over a bundled policy.
# It applies when named: `sovra check --project-policy` (a project's own CI) or
# `--policy sovra.toml`; a sovra.toml among the inputs is never applied on its own.
# `sovra policy show` prints the effective policy and which layer set each value;
# `sovra rules list` lists the rules, `sovra rules explain LIC005` explains one.

# The bundled policy this one builds on: de-public-sector (public buyers; the default
# of score, report, compare and init), baseline (the common ground) or ci-strict.
extends = "de-public-sector"

# How the software reaches its users: distributed, saas or internal.
deployment = "distributed"

# How dependencies are combined: static (compiled into one work) or dynamic.
linking = "static"

# Vendor registries layered over the bundled one (a competence centre's shared file);
# their entries may correct bundled ones. Paths are relative to this file.
# vendors = ["vendors/centre.toml"]

[licenses]
# Preferred licences for choosing a branch of an `OR` expression, best first.
prefer = ["EUPL-1.2", "Apache-2.0", "MIT"]

# Tune a rule: turn it on or off, change its level (allow, warn, deny, gate), or its
# parameters.
# [rules.LIC009]
# level = "deny"
# params = { threshold = 0.02 }

# Accept only these licences (the equivalent of cargo-deny's `[licenses] allow`).
# [rules.LIC007]
# enabled = true
# params = { allow = ["Apache-2.0", "MIT", "BSD-3-Clause"] }

# An exception: one rule, one package (or `license` / `vendor`), with a reason, an
# owner and an expiry date. Expired or unused exceptions are findings themselves.
# [[exceptions]]
# rule = "LIC002"
# package = "some-crate"
# version = "^1.2"
# reason = "licence text reviewed by the legal department, ticket LEGAL-123"
# owner = "ospo@example.org"
# expires = 2027-03-31
"#;

pub(crate) fn run(args: Args) -> Result<Status> {
    let path = args.dir.join(PROJECT_FILE);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Error::Usage(format!(
                    "`{}` already exists; not overwriting it",
                    path.display()
                ))
            } else {
                Error::write(&path, e)
            }
        })?;
    file.write_all(STARTER.as_bytes())
        .map_err(|e| Error::write(&path, e))?;
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "wrote `{}`", path.display());
    Ok(Status::Clean)
}
