//! Importing from files: parsing and checking them without I/O, then handing the rows to the
//! use cases in `ops`, which write them.
//!
//! - `members_csv` — members in Ghost's CSV column layout: per-row errors, duplicates, tiers.
//! - `members_report` — a members import run end to end and its report.

pub mod members_csv;
pub mod members_report;
