//! The `maillage` command itself: `audit verify` exit codes, `backup`, `user add`,
//! `user token`.

use crate::support::cli::{maillage, maillage_with};
use crate::support::fresh_database;
use maillage_services::Backend;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_add_backup_and_audit_verify_from_the_command_line() {
    let url = fresh_database(Backend::Sqlite).await.unwrap();
    assert!(maillage(&url, &["migrate"], "").status.success());
    let added = maillage(
        &url,
        &[
            "user",
            "add",
            "--email",
            "root@host.fr",
            "--name",
            "Admin",
            "--role",
            "admin",
        ],
        "une phrase de passe longue\n",
    );
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    let refused = maillage(
        &url,
        &[
            "user",
            "add",
            "--email",
            "x@host.fr",
            "--name",
            "X",
            "--role",
            "member",
            "--cpts",
            "absente",
        ],
        "une phrase de passe longue\n",
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("cpts : Choisissez la CPTS"));

    let second = maillage(
        &url,
        &[
            "user",
            "add",
            "--email",
            "ops@host.fr",
            "--name",
            "Ops",
            "--role",
            "admin",
        ],
        "une autre phrase de passe\n",
    );
    assert!(second.status.success());
    let verified = maillage(&url, &["audit", "verify"], "");
    assert!(verified.status.success());
    assert!(String::from_utf8_lossy(&verified.stdout).contains("intègre"));

    let path = url.trim_start_matches("sqlite://");
    let copy = format!("{path}.sauvegarde");
    assert!(maillage(&url, &["backup", &copy], "").status.success());
    // The copy holds no key: it is verified with the host's.
    let key = crate::support::data_dir_of(&url).join("secrets/host.key");
    let from_copy = maillage_with(
        &format!("sqlite://{copy}"),
        &[("MAILLAGE_SECRET_KEY_FILE", key.to_str().unwrap())],
        &["audit", "verify"],
        "",
    );
    assert!(
        String::from_utf8_lossy(&from_copy.stdout).contains("3 lignes vérifiées"),
        "the copy holds the data: the trail keyed, two accounts added; {}",
        String::from_utf8_lossy(&from_copy.stdout)
    );
    let unkeyed = maillage(&format!("sqlite://{copy}"), &["audit", "verify"], "");
    assert_eq!(
        unkeyed.status.code(),
        Some(1),
        "another host's key does not verify it"
    );

    let token = maillage(
        &url,
        &[
            "user",
            "token",
            "--email",
            "OPS@host.fr",
            "--name",
            "supervision",
        ],
        "",
    );
    let token = String::from_utf8_lossy(&token.stdout).trim().to_owned();
    assert!(token.starts_with("mlg_") && token.len() > 40, "{token}");
    let unknown = maillage(
        &url,
        &["user", "token", "--email", "nobody@host.fr", "--name", "x"],
        "",
    );
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("Aucun compte"));

    let mut conn = <sqlx::SqliteConnection as sqlx::Connection>::connect(&url)
        .await
        .unwrap();
    sqlx::query("DROP TRIGGER audit_log_no_delete")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("DELETE FROM audit_log WHERE seq = 1")
        .execute(&mut conn)
        .await
        .unwrap();
    let broken = maillage(&url, &["audit", "verify"], "");
    assert_eq!(broken.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&broken.stdout).contains("ligne 1 manquante"),
        "{}",
        String::from_utf8_lossy(&broken.stdout)
    );
}
