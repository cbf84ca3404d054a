//! Images as the site keeps them, without I/O: an upload checked by its content and limits
//! (`check`), cleaned of its metadata with its orientation applied (`clean`), resized into
//! variants (`variants`), and the names and URLs they are stored under (`names`). The use cases
//! that store them are `ops::media`.

pub mod check;
pub mod clean;
pub mod names;
pub mod variants;

pub use check::{CheckError, Checked, Kind, Limits, check};
pub use clean::{Cleaned, clean};
pub use variants::{Variant, VariantError, WIDTHS};
