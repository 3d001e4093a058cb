//! irsa-gen playground: the generator and checker in the browser.
//!
//! [`state`] (the reducer over irsa-core) and [`highlight`] are pure and build
//! and test natively (`cargo test -p irsa-web`); `app`, the Yew shell, builds
//! only for wasm32.

pub mod check;
pub mod highlight;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
