//! The findings of one validation, collected in field order with their paths.

use crate::diagnostic::Diagnostic;
use crate::source::FieldPath;

/// Collects diagnostics with their paths.
pub(super) struct Report {
    pub(super) diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Records the runtime failure the last finding leads to.
    pub(super) fn fails(&mut self, failure: &str) {
        if let Some(d) = self.diagnostics.last_mut() {
            d.failure = Some(failure.to_string());
        }
    }

    pub(super) fn error(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::error(code, message, help).at_path(path));
    }
    pub(super) fn warning(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::warning(code, message, help).at_path(path));
    }
}
