//! irsa-gen for JavaScript: a thin wasm-bindgen layer over `irsa-core`.

use wasm_bindgen::prelude::*;

/// The package version.
#[wasm_bindgen]
pub fn version() -> String {
    irsa_core::VERSION.to_string()
}
