//! The `maillage` command run by a test, on a test database and its data folder.

use std::io::Write;
use std::process::{Command, Stdio};

/// `maillage ARGS` on the database `db_url`, in its test data folder, `stdin` typed in.
pub fn maillage(db_url: &str, args: &[&str], stdin: &str) -> std::process::Output {
    maillage_with(db_url, &[], args, stdin)
}

/// [`maillage`] with the environment variables `env` too.
pub fn maillage_with(
    db_url: &str,
    env: &[(&str, &str)],
    args: &[&str],
    stdin: &str,
) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_maillage"))
        .args(args)
        .env("MAILLAGE_DATABASE_URL", db_url)
        .env("MAILLAGE_DATA_DIR", super::data_dir_of(db_url))
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}
