//! Text from untrusted files made safe for a terminal.
//!
//! A manifest or policy may hold a raw ESC (or a JSON `\u001b` that decodes
//! to one), and the human and GitHub formats print messages, snippets and
//! file names taken from it. Printed raw, `ESC [ 2 J` clears the screen and
//! `ESC ] 8 ;;` forges a link; in a CI log the sequence hides or rewrites
//! lines. So every control character (Unicode category Cc: C0, DEL, C1) is
//! shown as Rust writes it in a string (`\u{1b}`), except the tab and line
//! breaks that lay text out. JSON and SARIF need none of this: serde writes
//! control characters as JSON escapes.

use std::borrow::Cow;

/// `text` with every control character but tab and newline escaped
/// (`\u{1b}`); a carriage return is kept only before a newline (CRLF files).
pub fn controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let keep = match c {
            '\t' | '\n' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !c.is_control(),
        };
        if keep {
            out.push(c);
        } else {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        }
    }
    Cow::Owned(out)
}

/// The byte offset in `controls(text)` of byte `at` of `text`.
pub fn shifted(text: &str, at: usize) -> usize {
    at + text
        .get(..at)
        .map_or(0, |before| controls(before).len() - before.len())
}

/// A finding with every text taken from input escaped.
pub fn diagnostic(d: &irsa_core::Diagnostic) -> irsa_core::Diagnostic {
    let esc = |s: &str| controls(s).into_owned();
    let mut shown = d.clone();
    shown.message = esc(&d.message);
    shown.help = esc(&d.help);
    shown.failure = d.failure.as_deref().map(esc);
    shown.file = d.file.as_deref().map(esc);
    shown.path = d.path.as_deref().map(esc);
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_escaped_layout_is_kept() {
        assert_eq!(
            controls("a\u{1b}[31mb\u{7}\u{0}\u{7f}\u{9b}c"),
            "a\\u{1b}[31mb\\u{7}\\u{0}\\u{7f}\\u{9b}c"
        );
        assert_eq!(controls("a\tb\r\nc\rd"), "a\tb\r\nc\\u{d}d");
        assert!(matches!(controls("plain é ✓"), Cow::Borrowed(_)));
        // U+0085 (NEL) is a C1 control too.
        assert_eq!(controls("\u{85}"), "\\u{85}");
    }

    #[test]
    fn offsets_follow_the_escapes() {
        let t = "\u{1b}x\u{1b}y";
        let e = controls(t);
        let y = t.find('y').unwrap_or(0);
        assert_eq!(e.get(shifted(t, y)..), Some("y"));
        assert_eq!(shifted(t, 0), 0);
    }
}
