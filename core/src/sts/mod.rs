//! AWS STS as the SDKs speak to it: the Query protocol (a form-encoded POST
//! with `Action` and `Version`), the XML responses and the XML errors, with
//! STS's own codes and messages. Pure: the lab supplies the bytes, the time and
//! the random identifiers.

pub mod error;
pub mod read;
pub mod request;
pub mod response;

pub use error::StsError;
pub use request::{parse, Request, WebIdentityRequest, VERSION};

/// The XML namespace of every STS document.
pub const XMLNS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
