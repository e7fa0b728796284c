//! The databases the store's own tests run on: a fresh SQLite file, and a fresh database
//! on the PostgreSQL test cluster of `MAILLAGE_TEST_POSTGRES_URL` (required under
//! `MAILLAGE_TEST_REQUIRE_ALL`, as `scripts/test` sets it), both migrated.

use maillage_store::Db;
use sqlx::Connection;
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// Fresh, migrated databases: SQLite's, and PostgreSQL's when the cluster is there.
pub async fn databases() -> Vec<Db> {
    let n = NEXT.fetch_add(1, Ordering::SeqCst);
    let name = format!("mlg_store_{}_{n}", std::process::id());
    let file = std::env::temp_dir().join(format!("{name}.db"));
    let _ = std::fs::remove_file(&file);
    let mut urls = vec![format!("sqlite://{}", file.display())];
    match std::env::var("MAILLAGE_TEST_POSTGRES_URL") {
        Ok(admin) => {
            let mut conn = sqlx::PgConnection::connect(&admin).await.unwrap();
            for statement in [
                format!("DROP DATABASE IF EXISTS {name}"),
                format!("CREATE DATABASE {name}"),
            ] {
                sqlx::query(&statement).execute(&mut conn).await.unwrap();
            }
            let base = admin.rsplit_once('/').expect("a URL with a database").0;
            urls.push(format!("{base}/{name}"));
        }
        Err(_) => assert!(
            std::env::var_os("MAILLAGE_TEST_REQUIRE_ALL").is_none(),
            "MAILLAGE_TEST_POSTGRES_URL is required"
        ),
    }
    let mut found = Vec::new();
    for url in urls {
        let db = Db::connect(&url).await.unwrap();
        db.migrate().await.unwrap();
        found.push(db);
    }
    found
}
