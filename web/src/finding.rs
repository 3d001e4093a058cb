//! One finding as every mode shows it: the severity's word (`note` for
//! core's `info`), the code, where it is, the message, `fix:` and what fails
//! at runtime. Check mode's list, generate's field messages, diagnose's
//! evidence and migrate's blockers all render a finding through here, so
//! the page says one thing one way.

use irsa_core::{Diagnostic, Severity};

/// The word shown for a severity (core's `info` is a note to the reader).
pub fn severity_word(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// `file:line:column`, as much of it as the finding has.
pub fn place(d: &Diagnostic) -> String {
    match (&d.file, d.line, d.column) {
        (Some(f), Some(l), Some(col)) => format!("{f}:{l}:{col}"),
        (Some(f), Some(l), None) => format!("{f}:{l}"),
        (Some(f), None, _) => f.clone(),
        (None, Some(l), Some(col)) => format!("{l}:{col}"),
        _ => String::new(),
    }
}

/// The label before a finding's help.
pub const FIX_LABEL: &str = "fix: ";

#[cfg(target_arch = "wasm32")]
pub(crate) use view::{diagnostic_line, finding_parts};

#[cfg(target_arch = "wasm32")]
mod view {
    use irsa_core::Diagnostic;
    use yew::prelude::*;

    use super::{place, severity_word, FIX_LABEL};

    /// A finding's parts, inside whatever holds it (check mode's button, a `<p>`).
    pub(crate) fn finding_parts(d: &Diagnostic) -> Html {
        let place = place(d);
        html! {
            <>
            <span class="sev">{ severity_word(d.severity) }</span>{ " " }
            <code class="code">{ &d.code }</code>{ " " }
            if !place.is_empty() {
                <span class="where">{ place }</span>{ " " }
            }
            <span class="msg">{ &d.message }</span>
            <span class="help"><span class="help-label">{ FIX_LABEL }</span>{ &d.help }</span>
            if let Some(failure) = &d.failure {
                <span class="failure">{ format!("at runtime: {failure}") }</span>
            }
            </>
        }
    }

    /// One finding as a line of its own.
    pub(crate) fn diagnostic_line(d: &Diagnostic) -> Html {
        html! {
            <p class={classes!("diag", d.severity.as_str())}>{ finding_parts(d) }</p>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn info_is_a_note_and_the_place_is_what_the_finding_has() {
        assert_eq!(severity_word(Severity::Info), "note");
        assert_eq!(severity_word(Severity::Error), "error");
        let mut d = irsa_core::rules::diagnostic("IRSA001", "m");
        assert_eq!(place(&d), "");
        d.file = Some("trust.json".into());
        assert_eq!(place(&d), "trust.json");
        d.line = Some(3);
        d.column = Some(7);
        assert_eq!(place(&d), "trust.json:3:7");
        d.file = None;
        assert_eq!(place(&d), "3:7");
    }
}
