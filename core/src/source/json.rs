//! A one-pass reader of strict JSON straight into the located tree: the
//! common case of a `.json` policy, read once instead of twice (serde_json to
//! check it, then saphyr to locate it).
//!
//! It gives exactly the tree the two-pass path gives (spans as saphyr gives
//! them, scalars resolved by the same [`resolve`]) and reads only what it is
//! sure of: one value, spaces and `\n` between tokens, no byte order mark.
//! Anything else, every error and every limit included, it declines (`None`),
//! and the caller takes the two-pass path, whose errors are the ones users
//! see. So it never has to word an error, and cannot word one differently.

use super::builder::resolve;
use super::limits::Limits;
use super::shift::Shift;
use super::tree::{plain_json_run, Document, Node, Scalar, Span, Value};
use saphyr_parser::ScalarStyle;

/// The one JSON value of `text`, or `None` when the two-pass path must read
/// it (not JSON, several values, a limit hit, or a form this reader leaves
/// to that path). Spans are moved by `shift`.
pub(super) fn read(text: &str, limits: &Limits, shift: Shift) -> Option<Document> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        chars: 0,
        line: 1,
        line_start: 0,
        nodes: 0,
        depth: 0,
        limits,
        shift,
    };
    reader.space()?;
    let root = reader.value()?;
    reader.space()?;
    (reader.at == reader.bytes.len()).then_some(Document { root })
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    /// Byte offset of the next byte.
    at: usize,
    /// Characters before `at` (spans count characters).
    chars: usize,
    /// 1-based line of `at`.
    line: u32,
    /// Characters before the start of `at`'s line.
    line_start: usize,
    nodes: usize,
    depth: usize,
    limits: &'t Limits,
    shift: Shift,
}

impl Reader<'_> {
    fn span(&self) -> Span {
        self.shift.apply(Span {
            line: self.line,
            column: u32::try_from(self.chars - self.line_start + 1).unwrap_or(u32::MAX),
            offset: self.chars,
        })
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Steps over one ASCII byte.
    fn bump(&mut self) {
        self.at += 1;
        self.chars += 1;
    }

    /// Skips spaces and line feeds. Tabs and carriage returns are left to
    /// the two-pass path (YAML has rules of its own for both).
    fn space(&mut self) -> Option<()> {
        loop {
            match self.peek() {
                Some(b' ') => {
                    // An indentation is a run of spaces: stepped over at once.
                    let run = self
                        .bytes
                        .get(self.at..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(|&&b| b == b' ')
                        .count();
                    self.at += run;
                    self.chars += run;
                }
                Some(b'\n') => {
                    self.bump();
                    self.line = self.line.checked_add(1)?;
                    self.line_start = self.chars;
                }
                Some(b'\t' | b'\r') => return None,
                _ => return Some(()),
            }
        }
    }

    /// Counts one node against [`Limits::max_nodes`].
    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    fn value(&mut self) -> Option<Node> {
        let span = self.span();
        match self.peek()? {
            b'{' => self.map(span),
            b'[' => self.seq(span),
            b'"' => {
                let raw = self.string()?;
                self.scalar(Scalar::Str, raw, span)
            }
            b't' => self.word("true", span),
            b'f' => self.word("false", span),
            b'n' => self.word("null", span),
            b'-' | b'0'..=b'9' => self.number(span),
            _ => None,
        }
    }

    fn scalar(&mut self, value: Scalar, raw: String, span: Span) -> Option<Node> {
        self.count()?;
        Some(Node {
            value: Value::Scalar { value, raw },
            span,
        })
    }

    /// Steps into a collection, within [`Limits::max_depth`].
    fn open(&mut self) -> Option<()> {
        self.count()?;
        self.depth += 1;
        self.bump();
        (self.depth <= self.limits.max_depth).then_some(())
    }

    fn map(&mut self, span: Span) -> Option<Node> {
        self.open()?;
        let mut entries = Vec::new();
        self.space()?;
        if self.peek() == Some(b'}') {
            self.bump();
        } else {
            loop {
                let key_span = self.span();
                if self.peek()? != b'"' {
                    return None;
                }
                let raw = self.string()?;
                let key = self.scalar(Scalar::Str, raw, key_span)?;
                self.space()?;
                if self.peek()? != b':' {
                    return None;
                }
                self.bump();
                self.space()?;
                let value = self.value()?;
                entries.push((key, value));
                self.space()?;
                match self.peek()? {
                    b',' => {
                        self.bump();
                        self.space()?;
                    }
                    b'}' => {
                        self.bump();
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Node {
            value: Value::Map(entries),
            span,
        })
    }

    fn seq(&mut self, span: Span) -> Option<Node> {
        self.open()?;
        let mut items = Vec::new();
        self.space()?;
        if self.peek() == Some(b']') {
            self.bump();
        } else {
            loop {
                items.push(self.value()?);
                self.space()?;
                match self.peek()? {
                    b',' => {
                        self.bump();
                        self.space()?;
                    }
                    b']' => {
                        self.bump();
                        break;
                    }
                    _ => return None,
                }
            }
        }
        self.depth -= 1;
        Some(Node {
            value: Value::Seq(items),
            span,
        })
    }

    /// True when the next byte ends a scalar written without quotes.
    fn at_scalar_end(&self) -> bool {
        matches!(
            self.peek(),
            None | Some(b' ' | b'\n' | b'\t' | b'\r' | b',' | b']' | b'}')
        )
    }

    fn word(&mut self, word: &str, span: Span) -> Option<Node> {
        if !self.bytes.get(self.at..)?.starts_with(word.as_bytes()) {
            return None;
        }
        self.at += word.len();
        self.chars += word.len();
        if !self.at_scalar_end() {
            return None;
        }
        self.scalar(resolve(word, ScalarStyle::Plain), word.to_string(), span)
    }

    /// A number in JSON's grammar, typed as YAML types it (and only when that
    /// is a number: `1e999` is left to the two-pass path).
    fn number(&mut self, span: Span) -> Option<Node> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.peek()? {
            b'0' => self.at += 1,
            b'1'..=b'9' => self.digits(),
            _ => return None,
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.some_digits()?;
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            self.some_digits()?;
        }
        self.chars += self.at - start;
        if !self.at_scalar_end() {
            return None;
        }
        let raw = self.text.get(start..self.at)?;
        let value = resolve(raw, ScalarStyle::Plain);
        if !matches!(value, Scalar::Number(_)) {
            return None;
        }
        self.scalar(value, raw.to_string(), span)
    }

    fn digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let before = self.at;
        self.digits();
        (self.at > before).then_some(())
    }

    /// A double-quoted string, unescaped. A surrogate escape (`\ud83d`), a
    /// control character or a character YAML treats apart (U+FEFF) is left
    /// to the two-pass path.
    fn string(&mut self) -> Option<String> {
        self.bump();
        let start = self.at;
        let mut out: Option<String> = None;
        let mut from = start;
        loop {
            let b = self.peek()?;
            match b {
                b'"' => {
                    let rest = self.text.get(from..self.at)?;
                    self.bump();
                    return Some(match out {
                        Some(mut s) => {
                            s.push_str(rest);
                            s
                        }
                        None => rest.to_string(),
                    });
                }
                b'\\' => {
                    let s = out.get_or_insert_with(String::new);
                    s.push_str(self.text.get(from..self.at)?);
                    let c = self.escape()?;
                    s.push(c);
                    from = self.at;
                }
                0..=0x1f | 0x7f => return None,
                0x20..=0x7e => {
                    // The run of plain ASCII up to the next quote, escape or
                    // other byte, stepped over at once (one byte, one character).
                    let run = plain_json_run(self.bytes.get(self.at..).unwrap_or_default());
                    self.at += run;
                    self.chars += run;
                }
                _ => {
                    let c = self.text.get(self.at..)?.chars().next()?;
                    if !allowed(c) {
                        return None;
                    }
                    self.at += c.len_utf8();
                    self.chars += 1;
                }
            }
        }
    }

    /// The character of the escape at `at` (a `\`), stepping over it.
    fn escape(&mut self) -> Option<char> {
        self.bump();
        let c = match self.peek()? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hex = self.text.get(self.at + 1..self.at + 5)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
                self.at += 4;
                self.chars += 4;
                c
            }
            _ => return None,
        };
        self.bump();
        Some(c)
    }
}

/// Characters beyond ASCII that this reader takes inside a string: all but
/// those YAML reads apart (C1 controls, the byte order mark, non-characters).
fn allowed(c: char) -> bool {
    !matches!(
        c,
        '\u{80}'..='\u{9f}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
    )
}

#[cfg(test)]
mod tests;
