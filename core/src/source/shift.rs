//! Where a document starts in its stream: the positions of a document read
//! alone (one part of a `---` stream, a JSON value at an offset) moved to the
//! whole text's.

use super::limits::SourceError;
use super::tree::Span;

/// Where a document's text starts in the whole text: lines and characters before it.
#[derive(Debug, Default, Clone, Copy)]
pub(super) struct Shift {
    pub(super) lines: u32,
    pub(super) chars: usize,
}

impl Shift {
    pub(super) fn apply(self, mut span: Span) -> Span {
        span.line = span.line.saturating_add(self.lines);
        span.offset = span.offset.saturating_add(self.chars);
        span
    }

    /// The error with its span moved.
    pub(super) fn error(self, e: SourceError) -> SourceError {
        match e {
            SourceError::Syntax { message, span } => SourceError::Syntax {
                message,
                span: self.apply(span),
            },
            SourceError::Limit { what, limit, span } => SourceError::Limit {
                what,
                limit,
                span: self.apply(span),
            },
        }
    }
}
