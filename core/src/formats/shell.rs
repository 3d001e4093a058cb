//! A small writer for bash scripts: every word that comes from data is
//! POSIX single-quoted, documents go through quoted here-documents, and
//! comments never carry a line break.

/// Quotes a word for a POSIX shell. Words made only of characters no shell
/// treats specially (`A-Z a-z 0-9 _ @ % + = : , . / -`) stay bare; anything
/// else is wrapped in single quotes, with each `'` written as `'\''`.
/// Inside single quotes nothing is special: no `$`, no backtick, no `\`.
///
/// ```
/// use irsa_core::formats::shell::quote;
/// assert_eq!(quote("S3WriterRole"), "S3WriterRole");
/// assert_eq!(quote("it's $(here)"), r"'it'\''s $(here)'");
/// assert_eq!(quote(""), "''");
/// ```
pub fn quote(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    quote_into(&mut out, word);
    out
}

/// A byte no shell treats specially (the bare words of [`quote`]).
fn is_bare(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'_' | b'@' | b'%' | b'+' | b'=' | b':' | b',' | b'.' | b'/' | b'-'
        )
}

/// [`quote`] appended to `out` (the script writer's hot path: no string of its own).
fn quote_into(out: &mut String, word: &str) {
    // Non-ASCII bytes are never bare, so a byte test is the character test.
    if !word.is_empty() && word.bytes().all(is_bare) && !word.starts_with('=') {
        out.push_str(word);
        return;
    }
    out.push('\'');
    let mut pieces = word.split('\'');
    if let Some(first) = pieces.next() {
        out.push_str(first);
    }
    for piece in pieces {
        out.push_str("'\\''");
        out.push_str(piece);
    }
    out.push('\'');
}

/// An option and its value as one word, `--name=value`: the AWS CLI (and
/// eksctl) read what follows `=` as the value even when it starts with `-`,
/// where `--name -x` stops the AWS CLI with "expected one argument".
///
/// ```
/// use irsa_core::formats::shell::{opt, quote};
/// assert_eq!(quote(&opt("--description", "-x y")), "'--description=-x y'");
/// ```
pub fn opt(name: &str, value: &str) -> String {
    format!("{name}={value}")
}

/// The words of a command line, each quoted, joined by spaces.
pub fn words(args: &[&str]) -> String {
    let mut out = String::new();
    words_into(&mut out, args);
    out
}

/// [`words`] appended to `out`.
fn words_into(out: &mut String, args: &[&str]) {
    for (i, a) in args.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        quote_into(out, a);
    }
}

/// A here-document delimiter starting with `base` that no line of `body`
/// equals (so the body cannot end the here-document early).
pub fn heredoc_delimiter(base: &str, body: &str) -> String {
    let mut delim = base.to_string();
    while body.lines().any(|l| l == delim) {
        delim.push('_');
    }
    delim
}

/// A bash script under construction.
#[derive(Debug, Clone, Default)]
pub struct Script {
    text: String,
    indent: usize,
}

/// Longest command line before it is continued over several lines.
const WIDTH: usize = 100;

impl Script {
    /// A script with the bash shebang, a header comment and `set -euo pipefail`.
    pub fn new(header: &[&str]) -> Script {
        let mut s = Script::default();
        s.raw("#!/usr/bin/env bash");
        for line in header {
            s.comment(line);
        }
        s.raw("set -euo pipefail");
        s
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.text.push('\n');
    }

    /// A comment; line breaks and other control characters become spaces.
    pub fn comment(&mut self, text: &str) {
        self.indentation();
        self.text.push_str("# ");
        // Printable ASCII (nearly every comment) has no control character.
        if text.bytes().all(|b| (b' '..0x7f).contains(&b)) {
            self.text.push_str(text);
        } else {
            let clean = text.chars().map(|c| if c.is_control() { ' ' } else { c });
            self.text.extend(clean);
        }
        self.text.push('\n');
    }

    /// The current indentation, at the start of a line.
    fn indentation(&mut self) {
        for _ in 0..self.indent {
            self.text.push_str("  ");
        }
    }

    /// A line of shell code written by irsa-gen itself (never user data:
    /// put that through [`quote`] or [`words`] first).
    pub fn raw(&mut self, line: &str) {
        self.indentation();
        self.text.push_str(line);
        self.text.push('\n');
    }

    /// One command, every word quoted. A long command continues over several
    /// lines, breaking before each `--option`.
    pub fn command(&mut self, args: &[&str]) {
        self.command_in("", args, "");
    }

    /// Like [`Script::command`], with shell code written by irsa-gen before it
    /// (`if !`) and after it (a redirection, `"$variable"`, `; then`).
    pub fn command_in(&mut self, prefix: &str, args: &[&str], tail: &str) {
        let mut line = String::with_capacity(WIDTH);
        line.push_str(prefix);
        if !prefix.is_empty() {
            line.push(' ');
        }
        words_into(&mut line, args);
        if !tail.is_empty() {
            if !tail.starts_with(';') {
                line.push(' ');
            }
            line.push_str(tail);
        }
        if line.len() + self.indent * 2 <= WIDTH {
            self.raw(&line);
            return;
        }
        let mut parts: Vec<String> = Vec::new();
        let mut first = true;
        for a in args {
            let q = quote(a);
            match parts.last_mut() {
                Some(last) if !a.starts_with("--") => {
                    last.push(' ');
                    last.push_str(&q);
                }
                _ if first && !prefix.is_empty() => parts.push(format!("{prefix} {q}")),
                _ => parts.push(q),
            }
            first = false;
        }
        // A tail that is an option of its own (`--policy-document="$p"`) gets its own line.
        if tail.starts_with("--") {
            parts.push(tail.to_string());
        } else if !tail.is_empty() {
            if let Some(last) = parts.last_mut() {
                if !tail.starts_with(';') {
                    last.push(' ');
                }
                last.push_str(tail);
            }
        }
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            let cont = if i + 1 < n { " \\" } else { "" };
            let pad = if i == 0 { "" } else { "  " };
            self.raw(&format!("{pad}{part}{cont}"));
        }
    }

    /// `NAME=VALUE` with the value quoted.
    pub fn assign(&mut self, name: &str, value: &str) {
        self.indentation();
        self.text.push_str(name);
        self.text.push('=');
        quote_into(&mut self.text, value);
        self.text.push('\n');
    }

    /// A command reading `body` from a quoted here-document: the shell expands
    /// nothing in it. The delimiter is chosen so that no line of the body ends it.
    pub fn heredoc(&mut self, args: &[&str], body: &str) {
        let delim = heredoc_delimiter("EOF", body);
        self.raw(&format!("{} <<'{delim}'", words(args)));
        // The body goes in as it is: indentation would change it.
        self.text.push_str(body);
        if !body.ends_with('\n') {
            self.text.push('\n');
        }
        self.text.push_str(&delim);
        self.text.push('\n');
    }

    /// Lines after this are indented one level (inside `if`).
    pub fn push(&mut self) {
        self.indent += 1;
    }

    /// Back one level.
    pub fn pop(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }

    /// The script's text.
    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(quote("a b"), "'a b'");
        assert_eq!(quote("'"), r"''\'''");
        assert_eq!(quote("$HOME"), "'$HOME'");
        assert_eq!(quote("=x"), "'=x'");
        assert_eq!(quote("a\nb"), "'a\nb'");
        assert_eq!(quote("--role-name"), "--role-name");
    }

    #[test]
    fn heredoc_delimiter_never_in_body() {
        let mut s = Script::default();
        s.heredoc(&["cat"], "EOF\nEOF_\nx");
        assert_eq!(s.finish(), "cat <<'EOF__'\nEOF\nEOF_\nx\nEOF__\n");
    }

    #[test]
    fn long_commands_break_before_options() {
        let mut s = Script::default();
        let long = "x".repeat(90);
        s.command(&[
            "aws",
            "iam",
            "create-role",
            "--role-name",
            &long,
            "--path",
            "/",
        ]);
        assert_eq!(
            s.finish(),
            format!("aws iam create-role \\\n  --role-name {long} \\\n  --path /\n")
        );
    }
}
