//! What reading and judging documents writes: the findings, what the inputs
//! ended as, and the placeholders met (for the file's IRSA405 note). Every
//! reader and rule of the checker writes here; it imports none of them.

use crate::diagnostic::Diagnostic;
use crate::inventory::Inventory;
use crate::rules::diagnostic;
use crate::source::Span;

#[derive(Debug, Default)]
pub(super) struct Out {
    pub diags: Vec<Diagnostic>,
    /// What the file's inputs ended as.
    pub inventory: Inventory,
    /// Placeholders found while reading (text, where), for the file's IRSA405.
    pub placeholders: Vec<(String, Span)>,
}

impl Out {
    pub fn push(&mut self, file: &str, span: Span, code: &str, message: impl Into<String>) {
        self.diags
            .push(diagnostic(code, message).at(span).in_file(Some(file)));
    }

    /// A finding with its own help text (the rule's fix made concrete).
    pub fn push_help(
        &mut self,
        file: &str,
        span: Span,
        code: &str,
        message: impl Into<String>,
        help: String,
    ) {
        let mut d = diagnostic(code, message).at(span).in_file(Some(file));
        d.help = help;
        self.diags.push(d);
    }
}
