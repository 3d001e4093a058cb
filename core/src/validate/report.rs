//! The findings of one validation, collected in field order with their paths.

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::FieldPath;

/// Collects diagnostics with their paths.
pub(super) struct Report {
    pub(super) diagnostics: Vec<Diagnostic>,
    /// What the spec is validated for: a migration plans what generation refuses (SPEC066).
    pub(super) purpose: Purpose,
}

/// What a spec is validated for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Purpose {
    /// Generating its files (`generate`, the npm module, the playground).
    #[default]
    Generate,
    /// Planning its migration (`irsa-gen migrate -f`, npm `migrate()`), which
    /// plans Pod Identity across accounts as role chaining (SPEC066 is
    /// generation's refusal, not the migration's).
    Migrate,
}

impl Report {
    /// Records the runtime failure the last finding leads to.
    pub(super) fn fails(&mut self, failure: &str) {
        if let Some(d) = self.diagnostics.last_mut() {
            d.failure = Some(failure.to_string());
        }
    }

    /// Records a finding at `path`.
    pub(super) fn push(
        &mut self,
        severity: Severity,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diagnostics
            .push(Diagnostic::new(code, severity, message, help).at_path(path));
    }

    pub(super) fn error(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Error, code, path, message, help);
    }

    pub(super) fn info(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Info, code, path, message, help);
    }

    pub(super) fn warning(
        &mut self,
        code: &str,
        path: &FieldPath,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Severity::Warning, code, path, message, help);
    }
}
