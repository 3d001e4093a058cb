//! irsa-gen playground: the generator, the checker and diagnose in the browser.
//!
//! [`state`] (the reducer over irsa-core, with [`check`], [`diagnose`] and
//! [`migrate`]) and
//! [`highlight`] are pure and build and test natively (`cargo test -p
//! irsa-web`); `app` and `diagnose_view`, the Yew shell, build only for wasm32.

pub mod check;
pub mod check_editor;
pub mod derived;
pub mod diagnose;
pub mod finding;
pub mod form;
pub mod form_fields;
pub mod form_lists;
pub mod form_place;
pub mod form_rows;
pub mod form_statements;
pub mod highlight;
pub mod migrate;
pub mod needs;
pub mod share;
pub mod spec_form;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
mod diagnose_view;
#[cfg(target_arch = "wasm32")]
mod form_rows_view;
#[cfg(target_arch = "wasm32")]
mod generate_view;
#[cfg(target_arch = "wasm32")]
mod migrate_view;
