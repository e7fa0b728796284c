//! The store's transactions keep their promises on SQLite (its group commit and its native
//! writer included) and on PostgreSQL: a commit keeps every write, a transaction dropped
//! keeps none, a savepoint undone takes back only its own, and many transactions at once
//! all land whole.

// A test stops at the first thing that is not as expected: unwrapping is its assertion.
#![allow(clippy::unwrap_used)]

mod common;

use common::databases;
use maillage_store::{Backend, Db, keep, savepoint, territory::cpts, undo};

async fn slugs(db: &Db) -> Vec<String> {
    let mut conn = db.conn().await.unwrap();
    let mut slugs: Vec<String> = cpts::list(&mut conn)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.slug)
        .collect();
    slugs.sort();
    slugs
}

#[tokio::test]
async fn a_commit_keeps_every_write_and_a_dropped_transaction_none() {
    for db in databases().await {
        let mut tx = db.begin().await.unwrap();
        cpts::insert(&mut tx, "gardee", "CPTS gardée", 1)
            .await
            .unwrap();
        cpts::insert(&mut tx, "aussi", "CPTS aussi", 1)
            .await
            .unwrap();
        Db::commit(tx).await.unwrap();
        let mut tx = db.begin().await.unwrap();
        cpts::insert(&mut tx, "perdue", "CPTS perdue", 1)
            .await
            .unwrap();
        drop(tx);
        assert_eq!(slugs(&db).await, ["aussi", "gardee"], "{:?}", db.backend());
    }
}

#[tokio::test]
async fn an_undone_savepoint_takes_back_only_its_own_writes() {
    for db in databases().await {
        let mut tx = db.begin().await.unwrap();
        cpts::insert(&mut tx, "avant", "CPTS avant", 1)
            .await
            .unwrap();
        let mut attempt = savepoint(&mut tx).await.unwrap();
        cpts::insert(&mut attempt, "essai", "CPTS essai", 1)
            .await
            .unwrap();
        undo(attempt).await.unwrap();
        let mut attempt = savepoint(&mut tx).await.unwrap();
        cpts::insert(&mut attempt, "reussi", "CPTS réussie", 1)
            .await
            .unwrap();
        keep(attempt).await.unwrap();
        Db::commit(tx).await.unwrap();
        assert_eq!(slugs(&db).await, ["avant", "reussi"], "{:?}", db.backend());
    }
}

#[tokio::test]
async fn many_transactions_at_once_all_land_whole() {
    for db in databases().await {
        let mut writers = tokio::task::JoinSet::new();
        for n in 0..40 {
            let db = db.clone();
            writers.spawn(async move {
                let mut tx = db.begin().await.unwrap();
                cpts::insert(&mut tx, &format!("a{n:02}"), "A", 1)
                    .await
                    .unwrap();
                cpts::insert(&mut tx, &format!("b{n:02}"), "B", 1)
                    .await
                    .unwrap();
                if n % 4 == 0 {
                    drop(tx);
                } else {
                    Db::commit(tx).await.unwrap();
                }
            });
        }
        writers.join_all().await;
        let expected: Vec<String> = ["a", "b"]
            .iter()
            .flat_map(|prefix| {
                (0..40)
                    .filter(|n| n % 4 != 0)
                    .map(move |n| format!("{prefix}{n:02}"))
            })
            .collect();
        assert_eq!(slugs(&db).await, expected, "{:?}", db.backend());
    }
}

#[tokio::test]
async fn the_native_writer_keeps_a_job_only_when_it_says_so() {
    for db in databases().await {
        if db.backend() != Backend::Sqlite {
            continue;
        }
        let writer = db
            .native_writer()
            .expect("a SQLite file has a native writer");
        let insert = |slug: &'static str, kept: bool| {
            move |conn: &rusqlite::Connection| {
                let done = conn.execute(
                    "INSERT INTO cpts (slug, name, created_at) VALUES (?1, 'N', 1)",
                    [slug],
                );
                (kept && done.is_ok(), done.is_ok())
            }
        };
        let (refused, kept) = tokio::join!(
            writer.run(insert("refusee", false)),
            writer.run(insert("gardee", true))
        );
        assert!(refused.unwrap() && kept.unwrap(), "both jobs ran");
        assert_eq!(slugs(&db).await, ["gardee"]);
    }
}
