//! Ghost compatibility without HTTP: the filter language (`filter`), the fields each resource
//! may be filtered and sorted on (`fields`), and API keys (`keys`).

pub mod fields;
pub mod filter;
pub mod keys;
