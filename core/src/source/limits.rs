//! What one parse may consume (sizes, depth, nodes, alias expansion,
//! documents), what a stream has consumed so far, and why a text could not
//! be read.

use super::tree::Span;

/// Bounds on what one parse may consume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted text, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes one text may produce, aliases expanded.
    pub max_nodes: usize,
    /// Most nodes that anchors and aliases may copy: the alias-expansion limit
    /// (a billion-laughs document stops here). Keeping an anchored node for
    /// later aliases is a copy too.
    pub max_alias_nodes: usize,
    /// Most bytes of scalar text that anchors and aliases may copy: the
    /// alias-expansion limit for long strings (`&a "<1 MB>"` aliased a million
    /// times is one node per alias but a terabyte of text).
    pub max_alias_bytes: usize,
    /// Most documents in one YAML stream.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Generous for any real manifest or policy (the largest IAM document is
        // 10,240 characters; large Helm renders stay well under 5 MB), small
        // enough that hostile input ends in milliseconds.
        Limits {
            max_bytes: 5 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
            max_alias_bytes: 16 * 1024 * 1024,
            max_documents: 10_000,
        }
    }
}

/// Why a text could not be turned into documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The text is not valid YAML or JSON.
    #[error("{message}")]
    Syntax {
        /// What the parser reported.
        message: String,
        /// Where.
        span: Span,
    },
    /// A limit in [`Limits`] was hit.
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// Which limit, in words ("input size in bytes", "nesting depth", ...).
        what: &'static str,
        /// The configured value.
        limit: usize,
        /// Where the limit was hit.
        span: Span,
    },
}

impl SourceError {
    /// Where the error was found.
    pub fn span(&self) -> Span {
        match self {
            SourceError::Syntax { span, .. } | SourceError::Limit { span, .. } => *span,
        }
    }
}

/// What a stream has consumed of the limits so far, across its documents.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Budget {
    pub(super) nodes: usize,
    pub(super) alias_nodes: usize,
    pub(super) alias_bytes: usize,
    pub(super) documents: usize,
}
