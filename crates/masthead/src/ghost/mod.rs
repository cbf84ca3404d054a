//! Ghost compatibility without HTTP: the filter language (`filter`), the fields each resource
//! may be filtered and sorted on (`fields`), the query parameters of browse and read (`params`),
//! Ghost's JSON shapes of posts, tags, authors, members and tiers (`shapes`, also what webhooks
//! carry), API keys (`keys`), and how posts name their tags and authors (`refs`).

pub mod fields;
pub mod filter;
pub mod keys;
pub mod params;
pub mod refs;
pub mod shapes;
