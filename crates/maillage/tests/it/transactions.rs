//! Transactions under concurrency, on both databases: of sixty writers at once, those
//! that commit are all kept and seen as soon as their commit returns, those dropped
//! unfinished or after a failed statement leave nothing, and once they are done another
//! process can write to the database (no transaction was left holding it).

use crate::support::{TestApp, both};
use maillage_services::Db;
use maillage_store::platform::login_failures;

const WRITERS: usize = 60;

/// What writer `n` does once its row is written: 0 commits, 1 drops the transaction,
/// 2 runs a failing statement then drops it.
async fn writer(db: Db, n: usize) -> bool {
    let email = format!("w{n}@a.fr");
    let mut tx = db.begin().await.unwrap();
    login_failures::record(&mut tx, &email, "10.0.0.1", 1)
        .await
        .unwrap();
    match n % 3 {
        0 => {
            Db::commit(tx).await.unwrap();
            let mut conn = db.conn().await.unwrap();
            let seen = login_failures::recent(&mut conn, &email, "10.0.0.1", 0)
                .await
                .unwrap();
            assert_eq!(
                seen.of_pair, 1,
                "writer {n}'s row is seen once its commit returned"
            );
            true
        }
        1 => false,
        _ => {
            let failed = sqlx::query("INSERT INTO no_such_table VALUES (1)")
                .execute(&mut *tx)
                .await;
            assert!(failed.is_err());
            false
        }
    }
}

both!(concurrent_transactions_keep_exactly_what_was_committed);
async fn concurrent_transactions_keep_exactly_what_was_committed(t: TestApp) {
    let writers: Vec<_> = (0..WRITERS)
        .map(|n| tokio::spawn(writer(t.app.db.clone(), n)))
        .collect();
    let mut committed = 0;
    for writer in writers {
        committed += i64::from(writer.await.unwrap());
    }
    assert_eq!(committed, 20);
    let mut kept: Vec<String> =
        sqlx::query_scalar("SELECT email FROM login_failures WHERE ip = '10.0.0.1'")
            .fetch_all(&mut *t.app.db.conn().await.unwrap())
            .await
            .unwrap();
    kept.sort();
    let mut expected: Vec<String> = (0..WRITERS)
        .filter(|n| n % 3 == 0)
        .map(|n| format!("w{n}@a.fr"))
        .collect();
    expected.sort();
    assert_eq!(kept, expected, "the committed rows, and only those");

    // The last one, alone, gives up.
    let mut tx = t.app.db.begin().await.unwrap();
    login_failures::record(&mut tx, "abandon@a.fr", "10.0.0.2", 1)
        .await
        .unwrap();
    drop(tx);
    // Another process can write: no transaction of this one was left holding the database.
    let other = Db::connect(&t.db_url).await.unwrap();
    let mut conn = other.conn().await.unwrap();
    login_failures::record(&mut conn, "autre@a.fr", "10.0.0.2", 1)
        .await
        .unwrap();
    drop(conn);
    other.close().await;
    // And this one goes on writing.
    let mut tx = t.app.db.begin().await.unwrap();
    login_failures::record(&mut tx, "encore@a.fr", "10.0.0.2", 1)
        .await
        .unwrap();
    Db::commit(tx).await.unwrap();
    assert_eq!(
        t.count("SELECT COUNT(*) FROM login_failures WHERE ip = '10.0.0.2'")
            .await,
        2
    );
}
