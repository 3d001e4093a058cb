//! Located documents: YAML (and JSON, which is YAML) parsed into a tree whose
//! every node knows its line and column, with limits that stop hostile input.
//!
//! We build the tree from saphyr-parser's events ourselves, instead of using a
//! serde deserializer, for two reasons: diagnostics need the position of every
//! key and value, and alias expansion must be bounded (a "billion laughs"
//! document must end in an error, not in an out-of-memory kill).

use serde::Serialize;

mod block;
#[cfg(any(test, feature = "fuzzing"))]
pub mod block_agree;
mod builder;
mod json;
mod limits;
mod shift;
mod tree;

use builder::*;
use limits::Budget;
pub use limits::{Limits, SourceError};
use shift::Shift;
pub use tree::{Document, DuplicateKey, FieldPath, JsonEntry, Node, Scalar, Seg, Span, Value};

/// One input text and the name diagnostics give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// File name (or `<stdin>`).
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Parses a YAML stream (JSON included) into located documents.
pub fn parse_documents(text: &str, limits: &Limits) -> Result<Vec<Document>, SourceError> {
    check_size(text, limits)?;
    parse_chunk(text, limits, &mut Budget::default(), Shift::default())
}

/// One document of [`read_stream`]: located, or why it could not be read.
pub type Read = Result<Document, SourceError>;

/// Reads a text as the tool it is meant for would: JSON strictly (as IAM and
/// kubectl read it) when `json` is set (a `.json` file) or the text starts as
/// JSON (`{"`, `[{`...), otherwise as a YAML stream in which a syntax error
/// ends only its own document: every other document is still read.
/// A limit ([`Limits`]) ends the whole text.
pub fn read_stream(text: &str, json: bool, limits: &Limits) -> Result<Vec<Read>, SourceError> {
    check_size(text, limits)?;
    if json || starts_as_json(text) {
        return match json::read(text, limits, Shift::default()) {
            Some(doc) => Ok(vec![Ok(doc)]),
            None => two_pass_json(text, limits),
        };
    }
    let mut budget = Budget::default();
    let mut out = Vec::new();
    for (chunk, shift) in documents_of(text) {
        // Plain block YAML in one pass; saphyr reads whatever it declines.
        if let Some(doc) = block::read(chunk, limits, &mut budget, shift) {
            out.push(Ok(doc));
            continue;
        }
        match parse_chunk(chunk, limits, &mut budget, shift) {
            Ok(docs) => out.extend(docs.into_iter().map(Ok)),
            Err(e @ SourceError::Limit { .. }) => return Err(e),
            Err(e) => {
                budget.documents = budget.documents.saturating_add(1);
                out.push(Err(e));
            }
        }
    }
    Ok(out)
}

/// JSON as [`read_stream`] reads what the one-pass reader ([`json::read`])
/// declines: checked strictly by serde_json (whose errors we word), then
/// located by saphyr, one document per value.
fn two_pass_json(text: &str, limits: &Limits) -> Result<Vec<Read>, SourceError> {
    let ends = match strict_json(text, limits) {
        Ok(ends) => ends,
        Err(e @ SourceError::Limit { .. }) => return Err(e),
        Err(e) => return Ok(vec![Err(e)]),
    };
    // Each JSON value is one document (`kubectl get -o json` output, concatenated).
    let mut budget = Budget::default();
    let mut out = Vec::new();
    let mut start = 0;
    for end in ends {
        let chunk = text.get(start..end).unwrap_or("");
        match parse_chunk(chunk, limits, &mut budget, shift_at(text, start)) {
            Ok(docs) => out.extend(docs.into_iter().map(Ok)),
            Err(e @ SourceError::Limit { .. }) => return Err(e),
            Err(e) => out.push(Err(e)),
        }
        start = end;
    }
    Ok(out)
}

/// One JSON document inside a larger text (a Terraform heredoc, a YAML block
/// scalar of a CloudFormation template), read strictly as [`read_stream`]
/// reads JSON, every span one of the whole text. `part` starts at the start
/// of a line, after `lines_before` lines and `chars_before` characters.
pub fn read_json_at(
    part: &str,
    lines_before: u32,
    chars_before: usize,
    limits: &Limits,
) -> Result<Document, SourceError> {
    let shift = Shift {
        lines: lines_before,
        chars: chars_before,
    };
    check_size(part, limits).map_err(|e| shift.error(e))?;
    match json::read(part, limits, shift) {
        Some(doc) => Ok(doc),
        None => two_pass_json_at(part, shift, limits),
    }
}

/// [`read_json_at`] for what the one-pass reader declines.
fn two_pass_json_at(part: &str, shift: Shift, limits: &Limits) -> Result<Document, SourceError> {
    strict_json(part, limits).map_err(|e| shift.error(e))?;
    let mut docs = parse_chunk(part, limits, &mut Budget::default(), shift)?;
    if docs.len() > 1 {
        return Err(SourceError::Syntax {
            message: "not valid JSON: more than one value".into(),
            span: docs
                .get(1)
                .map_or(shift.apply(Span::default()), |d| d.root.span),
        });
    }
    docs.pop().ok_or_else(|| SourceError::Syntax {
        message: "not valid JSON: no value".into(),
        span: shift.apply(Span {
            line: 1,
            column: 1,
            offset: 0,
        }),
    })
}

/// True when a text begins the way only JSON begins: `{"`, `{}`, `[{`, `["`,
/// `[[`, `[]`, `[1`. (`{a: 1}` and `[x, y]` are YAML flow collections.)
pub fn starts_as_json(text: &str) -> bool {
    let mut chars = text
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !c.is_whitespace());
    match (chars.next(), chars.next()) {
        (Some('{'), Some('"' | '}')) => true,
        (Some('['), Some(c)) => matches!(c, '{' | '[' | '"' | ']' | '-') || c.is_ascii_digit(),
        _ => false,
    }
}

fn check_size(text: &str, limits: &Limits) -> Result<(), SourceError> {
    if text.len() > limits.max_bytes {
        return Err(SourceError::Limit {
            what: "input size in bytes",
            limit: limits.max_bytes,
            span: Span {
                line: 1,
                column: 1,
                offset: 0,
            },
        });
    }
    Ok(())
}

/// Splits a YAML stream at its `---` lines. YAML forbids `---` at the start
/// of a line inside any content, so this is exactly where documents begin.
fn documents_of(text: &str) -> Vec<(&str, Shift)> {
    // Only a line after the first can start a document: none, one part.
    if !text.contains("\n---") {
        return vec![(text, Shift::default())];
    }
    let mut out = Vec::new();
    let (mut start, mut start_shift) = (0usize, Shift::default());
    let (mut at, mut line, mut chars) = (0usize, 0u32, 0usize);
    for l in text.split_inclusive('\n') {
        let marker = l
            .strip_prefix("---")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
        if marker && at > start {
            out.push((text.get(start..at).unwrap_or(""), start_shift));
            start = at;
            start_shift = Shift { lines: line, chars };
        }
        at += l.len();
        line = line.saturating_add(1);
        chars += l.chars().count();
    }
    out.push((text.get(start..).unwrap_or(""), start_shift));
    out
}

/// The lines and characters of `text` before byte `at` (a line start).
fn shift_at(text: &str, at: usize) -> Shift {
    let before = text.get(..at).unwrap_or("");
    Shift {
        lines: u32::try_from(before.matches('\n').count()).unwrap_or(u32::MAX),
        chars: before.chars().count(),
    }
}

/// Checks that a text is strict JSON (one value or several in a row), as IAM
/// and kubectl read it, and gives the byte offset where each value ends.
/// The error is at the offending character, in words.
fn strict_json(text: &str, limits: &Limits) -> Result<Vec<usize>, SourceError> {
    let bom = text.starts_with('\u{feff}');
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let skip = text.len() - body.len();
    if let Some(at) = too_deep(body, limits.max_depth) {
        let before = body.get(..at).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let col = at - before.rfind('\n').map_or(0, |i| i + 1);
        return Err(SourceError::Limit {
            what: "nesting depth",
            limit: limits.max_depth,
            span: Span::at(text, line, col, bom),
        });
    }
    let mut values = serde_json::Deserializer::from_str(body).into_iter::<serde::de::IgnoredAny>();
    let mut ends = Vec::new();
    let e = loop {
        match values.next() {
            None => {
                // Whatever follows the last value (a newline) belongs to it.
                if let Some(last) = ends.last_mut() {
                    *last = text.len();
                }
                return Ok(ends);
            }
            Some(Ok(_)) => ends.push(skip + values.byte_offset()),
            Some(Err(e)) => break e,
        }
    };
    let mut line = e.line().max(1);
    let line_text = body.lines().nth(line - 1).unwrap_or("");
    let mut byte_col = e.column().saturating_sub(1).min(line_text.len());
    let found = line_text.get(byte_col..).and_then(|r| r.chars().next());
    let serde_message = e.to_string();
    let serde_message = serde_message
        .split(" at line ")
        .next()
        .unwrap_or(&serde_message);
    if serde_message.contains("recursion limit") {
        return Err(SourceError::Limit {
            what: "nesting depth",
            limit: limits.max_depth,
            span: Span::at(text, line, byte_col, bom),
        });
    }
    let message = match found {
        Some('}' | ']') => match comma_before(body, line, byte_col) {
            Some((l, c)) => {
                (line, byte_col) = (l, c);
                "trailing comma: JSON allows no `,` before `}` or `]`".to_string()
            }
            None => serde_message.to_string(),
        },
        Some('/' | '#') => "comments are not allowed in JSON".to_string(),
        Some('\'') => {
            "strings and keys are in double quotes in JSON, not single quotes".to_string()
        }
        Some(c) if (c.is_alphabetic() || c == '_') && serde_message.contains("key must be") => {
            "keys are quoted strings in JSON".to_string()
        }
        _ => serde_message.to_string(),
    };
    Err(SourceError::Syntax {
        message: format!("not valid JSON: {message}"),
        span: Span::at(text, line, byte_col, bom),
    })
}

/// The byte offset of the first bracket nested deeper than `max` in JSON
/// text (serde_json skips values without a depth limit).
fn too_deep(body: &str, max: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, b) in body.bytes().enumerate() {
        match (in_string, b) {
            (true, _) if escaped => escaped = false,
            (true, b'\\') => escaped = true,
            (true, b'"') | (false, b'"') => in_string = !in_string,
            (false, b'[' | b'{') => {
                depth += 1;
                if depth > max {
                    return Some(i);
                }
            }
            (false, b']' | b'}') => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The 1-based line and byte column of the `,` that only whitespace separates
/// from (line, byte column), if there is one.
fn comma_before(body: &str, line: usize, byte_col: usize) -> Option<(usize, usize)> {
    let lines: Vec<&str> = body.lines().collect();
    let mut l = line;
    let mut upto = byte_col;
    loop {
        let text = lines.get(l.checked_sub(1)?)?.get(..upto)?;
        let trimmed = text.trim_end();
        if let Some(before) = trimmed.strip_suffix(',') {
            return Some((l, before.len()));
        }
        if !trimmed.is_empty() {
            return None;
        }
        l -= 1;
        upto = lines.get(l.checked_sub(1)?)?.len();
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod block_tests;
