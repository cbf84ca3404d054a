//! Authors added one at a time, with the email addresses Ghost's clients name them by.

use crate::{author, each_backend, now};
use store::StoreError;

#[tokio::test]
async fn author_emails_are_found_whatever_their_case_and_held_by_one_author() {
    each_backend(|store| async move {
        let jane = author("jane-doe");
        store
            .create_author(&jane, Some("Jane.Doe@Paper.example"), now())
            .await
            .unwrap();
        let found = store
            .author_by_email("jane.doe@paper.EXAMPLE")
            .await
            .unwrap();
        assert_eq!(found.map(|a| a.id), Some(jane.id.clone()));
        assert!(
            store
                .author_by_email("nobody@paper.example")
                .await
                .unwrap()
                .is_none()
        );

        let joe = author("joe-bloggs");
        store.create_author(&joe, None, now()).await.unwrap();
        let taken = store
            .set_author_email(&joe.id, Some("JANE.DOE@paper.example"))
            .await;
        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{taken:?}");
        let again = store.create_author(&author("jane-doe"), None, now()).await;
        assert!(
            matches!(again, Err(StoreError::Conflict(_))),
            "a taken slug"
        );
        assert!(
            store
                .set_author_email(&joe.id, Some("joe@paper.example"))
                .await
                .unwrap()
        );
        assert!(
            !store
                .set_author_email("no-such-id", Some("x@paper.example"))
                .await
                .unwrap()
        );

        let ids = [jane.id.clone(), joe.id.clone(), "no-such-id".to_owned()];
        let emails = store.author_emails(&ids).await.unwrap();
        assert_eq!(emails.len(), 2);
        assert_eq!(
            emails[&jane.id], "jane.doe@paper.example",
            "stored lowercased"
        );
        assert!(store.set_author_email(&joe.id, None).await.unwrap());
        assert!(
            !store
                .author_emails(&ids)
                .await
                .unwrap()
                .contains_key(&joe.id)
        );

        assert!(
            store
                .rename_author(&joe.id, "Joe Bloggs", chrono::Utc::now())
                .await
                .unwrap()
        );
        let renamed = store.author_by_slug("joe-bloggs").await.unwrap().unwrap();
        assert_eq!(renamed.name, "Joe Bloggs");
    })
    .await;
}
