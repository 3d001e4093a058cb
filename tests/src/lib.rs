//! Workspace-level tests live in tests/; this library holds the inputs the
//! tests and the benchmarks (`cargo run -p irsa-tests --example ...`) share.

pub mod folder;
pub mod organisation;

pub use folder::folder_files;
