//! Diagnostics: the one shape every finding takes, from spec validation to the
//! checker, in the CLI's `--format json`, in the npm module and in the playground.

use serde::{Deserialize, Serialize};

use crate::source::{FieldPath, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Will fail, or is refused.
    Error,
    /// Works, but is probably not what was meant.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The lower-case name, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// One finding: what is wrong, where, how to fix it, and what it breaks at runtime.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Stable code (`SPEC010`, `IRSA004`): a released code never changes meaning.
    pub code: String,
    /// How serious.
    pub severity: Severity,
    /// What is wrong, in one sentence.
    pub message: String,
    /// How to fix it.
    pub help: String,
    /// The runtime error this leads to, if any (`AccessDenied ...`).
    pub failure: Option<String>,
    /// The file (or input name) it was found in.
    pub file: Option<String>,
    /// The field path inside the document (`bindings[1].namespace`).
    pub path: Option<String>,
    /// 1-based line.
    pub line: Option<u32>,
    /// 1-based column.
    pub column: Option<u32>,
}

impl Diagnostic {
    /// A new diagnostic without location.
    pub fn new(
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        help: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code: code.to_string(),
            severity,
            message: message.into(),
            help: help.into(),
            failure: None,
            file: None,
            path: None,
            line: None,
            column: None,
        }
    }

    /// An error.
    pub fn error(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Error, message, help)
    }

    /// A warning.
    pub fn warning(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Warning, message, help)
    }

    /// An informational note.
    pub fn info(code: &str, message: impl Into<String>, help: impl Into<String>) -> Self {
        Self::new(code, Severity::Info, message, help)
    }

    /// With the runtime failure it leads to.
    pub fn failure(mut self, failure: impl Into<String>) -> Self {
        self.failure = Some(failure.into());
        self
    }

    /// With a field path.
    pub fn at_path(mut self, path: &FieldPath) -> Self {
        self.path = Some(path.to_string());
        self
    }

    /// With a source position.
    pub fn at(mut self, span: Span) -> Self {
        self.line = Some(span.line);
        self.column = Some(span.column);
        self
    }

    /// With a file name.
    pub fn in_file(mut self, file: Option<&str>) -> Self {
        self.file = file.map(str::to_string);
        self
    }

    /// True at error level.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// True when any diagnostic is at error level.
pub fn has_errors(diagnostics: &[Diagnostic]) -> bool {
    diagnostics.iter().any(Diagnostic::is_error)
}
