//! What the add-on declarations share: the declaration types and `I` for an input.

pub use super::decl::{
    cond, Addon, Release, Resources::Arns, Resources::Given, Resources::Input, Scope, Scoped,
    Statement, Upstream, Version, When,
};
pub use super::input::AddonInput as I;
