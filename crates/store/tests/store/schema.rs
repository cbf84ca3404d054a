//! Migrations: the same versions and the same schema on both backends.

use crate::*;
#[test]
fn migration_versions_are_identical_on_both_backends() {
    let sqlite = Store::migration_versions(Backend::Sqlite);
    assert!(!sqlite.is_empty());
    assert_eq!(sqlite, Store::migration_versions(Backend::Postgres));
}

#[tokio::test]
async fn migrated_schemas_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let sqlite = testing::sqlite(dir.path())
        .await
        .unwrap()
        .schema()
        .await
        .unwrap();
    assert!(
        sqlite
            .iter()
            .any(|(t, c, ty, _)| t == "posts" && c == "published_at" && ty == "bigint")
    );
    if let Some(admin) = testing::postgres_admin_url() {
        let (pg, _) = testing::postgres(&admin).await.unwrap();
        assert_eq!(sqlite, pg.schema().await.unwrap());
    }
}
