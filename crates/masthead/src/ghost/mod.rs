//! Ghost compatibility without HTTP: the filter language (`filter`), the fields each resource
//! may be filtered and sorted on (`fields`), API keys (`keys`), and how posts name their tags
//! and authors (`refs`).

pub mod fields;
pub mod filter;
pub mod keys;
pub mod refs;
