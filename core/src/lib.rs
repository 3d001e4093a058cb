//! irsa-core: the pure heart of irsa-gen.
//!
//! Data flows one way: input -> [`Spec`] -> [`ValidSpec`] -> typed documents -> text.
//! No I/O, no clock, no randomness: the same spec gives byte-identical output
//! on every platform, native and wasm.
//!
//! ```
//! let spec = irsa_core::load_spec(r#"
//! accountId: "111122223333"
//! region: us-west-2
//! cluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE
//! bindings:
//!   - namespace: production
//!     serviceAccount: s3-writer
//!     roleName: S3WriterRole
//! "#, None);
//! let bundle = irsa_core::generate(spec.spec.as_ref().unwrap()).unwrap();
//! let trust = &bundle.bindings[0].artefacts[0];
//! assert_eq!(trust.file, "trust-policy.json");
//! assert!(trust.text.contains("system:serviceaccount:production:s3-writer"));
//! ```

pub mod addons;
pub mod artefact;
pub mod aws;
pub mod catalogue;
pub mod check;
pub mod diagnose;
pub mod diagnostic;
pub mod documents;
pub mod emulate;
pub mod eval;
pub mod explain;
pub mod fields;
pub mod filetype;
pub mod formats;
pub mod from_node;
pub mod generate;
pub mod iac;
pub mod inject;
pub mod inventory;
pub mod jwt;
pub mod kube;
mod lenient;
pub mod manifest;
pub mod migrate;
pub mod model;
pub mod oidc;
pub mod page_words;
pub mod placeholder;
pub mod policy;
pub mod quotas;
pub mod rules;
pub mod sa_token;
pub mod sarif;
pub mod short_tags;
pub mod source;
pub mod spec;
pub mod spec_yaml;
pub mod sts;
pub mod tag_chars;
pub mod trust;
pub mod validate;
pub mod wildcard;
pub mod yaml;
pub mod zip;

pub use artefact::Artefact;
pub use catalogue::{ArtefactKind, Format};
pub use check::{check, CheckOptions, SourceFile};
pub use diagnostic::{has_errors, Diagnostic, Severity};
/// `widen` is the evaluator's (`eval/widen.rs`); its old path stays.
pub use eval::widen;
pub use generate::{generate, BindingArtefacts, Bundle};
pub use spec::{IdentityType, Spec};
pub use validate::{load_spec, load_spec_json, ValidSpec, Validated};

/// The version of irsa-gen (all crates share it).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
