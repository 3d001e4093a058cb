//! irsa-gen playground: the generator and checker in the browser.
//!
//! `state` is pure and builds on every target; the Yew shell only for wasm32.
pub mod state;
