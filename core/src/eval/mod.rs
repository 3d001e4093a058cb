//! The evaluator: does a trust policy let a request (a token) in? IAM's rules
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html>):
//! an explicit Deny wins, then an Allow, else an implicit deny. A statement
//! applies when its principal (`principal.rs`), action and every condition
//! (`condition.rs`) match; operators AND, keys AND, values OR.
//!
//! Requests are three-valued: a condition on a key only the caller knows
//! ([`keys::CALLER_KEYS`]) without its value makes the decision
//! [`Decision::Conditional`], naming the key, unless the rest decides anyway.
//!
//! Entry points: [`evaluate`] (a parsed policy and a [`Claims`]), [`simulate`]
//! (a trust text and a ServiceAccount, provider by provider), the
//! checker's questions in [`verdict`], and [`evaluate_session`] /
//! [`simulate_session`] (a role session's `sts:AssumeRole`: role chaining
//! and cross-account trusts, the trust side only).

mod assume_role;
mod condition;
mod decide;
pub mod keys;
mod operators;
pub(crate) mod pattern;
pub mod permissions;
mod principal;
mod request;
mod resources;
mod role_principal;
mod session;
mod simulate;
mod values;
pub mod verdict;
pub mod widen;

pub use assume_role::{evaluate_session, simulate_session, SessionEvaluation, SESSION_NAME};
pub use decide::{evaluate, Decision, Evaluation};
pub use operators::{is_known_operator, is_negated, parse_operator, Operator, SetQualifier};
pub use principal::ForeignProvider;
pub use request::{normalise_issuer, Claims, Role, WEB_IDENTITY_ACTION};
pub use session::{
    session_key, RoleSession, SessionKey, ASSUME_ROLE_ACTION, SESSION_KEYS, TAG_SESSION_ACTION,
};
pub use simulate::{
    parse_trust_text, simulate, ProviderResult, RoleAssumption, RoleSource, SimulateRequest,
    Simulation, ANY_ISSUER, MAX_PROVIDERS,
};
