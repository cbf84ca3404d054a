//! The newsroom's posts: the list, the editor page and its JSON endpoints (autosave,
//! presence), revisions and previews. Staff only; every write goes through `ops::posts`.

#![expect(
    dead_code,
    reason = "the editor pages that use these build on the staff helper's /admin/ foundation"
)]

pub mod form;
