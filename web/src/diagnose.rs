//! Diagnose mode's state: the pasted error (and, optionally, the pod's token)
//! in, core's answer out. The files are check mode's, so the files a user
//! dropped there are the evidence here too.
//!
//! Pure like [`crate::state`]: the answer is `irsa_core::diagnose`'s; the
//! clock is the shell's, carried in by the action that needs it.

use irsa_core::check::{CheckOptions, SourceFile};
use irsa_core::diagnose::{self, Diagnosis, Request};
use irsa_core::page_words::{self, Mode};

/// What diagnose mode shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DiagnoseState {
    /// The error text, as pasted.
    pub message: String,
    /// The pod's projected token, as pasted (empty: none).
    pub token: String,
    /// The shell's clock at the last edit (seconds since the epoch).
    pub now: Option<i64>,
    /// Core's answer; None while the message is blank.
    pub answer: Option<Diagnosis>,
}

/// Everything that changes diagnose mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiagnoseAction {
    /// The error text was edited.
    Message {
        /// The whole text.
        text: String,
        /// The shell's clock.
        now: Option<i64>,
    },
    /// The token was edited.
    Token {
        /// The whole text.
        text: String,
        /// The shell's clock.
        now: Option<i64>,
    },
}

impl DiagnoseState {
    /// The next state, answered against `files`.
    pub fn reduce(&self, action: DiagnoseAction, files: &[SourceFile]) -> DiagnoseState {
        let next = match action {
            DiagnoseAction::Message { text, now } => DiagnoseState {
                message: text,
                now,
                ..self.clone()
            },
            DiagnoseAction::Token { text, now } => DiagnoseState {
                token: text,
                now,
                ..self.clone()
            },
        };
        next.answered(files)
    }

    /// The same question answered again: the files changed.
    pub fn answered(self, files: &[SourceFile]) -> DiagnoseState {
        let answer = answer(&self.message, &self.token, self.now, files);
        DiagnoseState { answer, ..self }
    }
}

fn answer(message: &str, token: &str, now: Option<i64>, files: &[SourceFile]) -> Option<Diagnosis> {
    if message.trim().is_empty() {
        return None;
    }
    let token = token.trim();
    let answer = diagnose::diagnose(&Request {
        message,
        files,
        token: (!token.is_empty()).then_some(token),
        now,
        options: &CheckOptions::default(),
    });
    Some(in_words(answer))
}

/// A text of diagnose's catalogue (what a message means, its causes) as
/// the page says it.
pub fn said(text: &str) -> String {
    page_words::say(text, Mode::Diagnose)
}

/// Core's answer as the page says it: the fix, the facts and the evidence
/// with the CLI's flags as the page's controls (the confirm commands are
/// run in a terminal: left as they are).
fn in_words(answer: Diagnosis) -> Diagnosis {
    let say = |t: &str| page_words::say(t, Mode::Diagnose);
    Diagnosis {
        fix: answer.fix.as_deref().map(say),
        facts: answer.facts.iter().map(|f| say(f)).collect(),
        evidence: answer
            .evidence
            .iter()
            .map(|d| page_words::in_page_words(d, Mode::Diagnose))
            .collect(),
        ..answer
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(text: &str) -> DiagnoseAction {
        DiagnoseAction::Message {
            text: text.into(),
            now: Some(1_733_109_000),
        }
    }

    #[test]
    fn a_blank_message_has_no_answer() {
        let s = DiagnoseState::default().reduce(message("  \n"), &[]);
        assert_eq!(s.answer, None);
    }

    #[test]
    fn the_answer_is_cores_and_uses_the_files() {
        let text = "An error occurred (InvalidIdentityToken) when calling the AssumeRoleWithWebIdentity operation: Incorrect token audience";
        let s = DiagnoseState::default().reduce(message(text), &[]);
        let answer = s.answer.as_ref().unwrap();
        assert_eq!(answer.message.map(|m| m.code), Some("DIAG003"));
        assert_eq!(answer.files, 0);
        let files = [SourceFile {
            name: "trust.json".into(),
            text: "{}".into(),
        }];
        let again = s.answered(&files);
        assert_eq!(again.answer.unwrap().files, 1);
    }

    #[test]
    fn unknown_text_lists_the_codes_known() {
        let s = DiagnoseState::default().reduce(message("Segmentation fault"), &[]);
        let answer = s.answer.unwrap();
        assert_eq!(answer.message, None);
        assert!(answer.known.contains(&"DIAG001"));
    }
}
