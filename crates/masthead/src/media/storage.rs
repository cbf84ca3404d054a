//! Where images are stored: an `object_store` store, the local media folder by default. An
//! S3-compatible store can take its place here, and nothing that stores or serves images
//! changes (they all take an `Arc<dyn ObjectStore>`).

use object_store::ObjectStore;
use object_store::local::LocalFileSystem;
use std::path::Path;
use std::sync::Arc;

/// The store rooted at `dir` (created if missing).
pub fn open(dir: &Path) -> Result<Arc<dyn ObjectStore>, object_store::Error> {
    std::fs::create_dir_all(dir).map_err(|e| object_store::Error::Generic {
        store: "LocalFileSystem",
        source: Box::new(e),
    })?;
    Ok(Arc::new(LocalFileSystem::new_with_prefix(dir)?))
}
