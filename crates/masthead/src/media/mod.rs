//! Images as the site keeps them: an upload checked by its content and limits (`check`),
//! cleaned of its metadata with its orientation applied (`clean`), resized into variants
//! (`variants`), the names and URLs they are stored under (`names`), all without I/O, and a
//! photo-like picture made by code and SSIM for benchmarks and tests (`sample`, `ssim`); and the
//! object store they live in (`storage`). The use cases that store them are `ops::media`, the
//! variants job `jobs::media_variants`.

pub mod check;
pub mod clean;
pub mod names;
pub mod sample;
pub mod ssim;
pub mod storage;
pub mod variants;

pub use check::{CheckError, Checked, Kind, Limits, check};
pub use clean::{Cleaned, clean};
pub use variants::{Variant, VariantError, WIDTHS};
