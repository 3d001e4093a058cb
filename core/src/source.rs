//! Located documents: YAML (and JSON, which is YAML) parsed into a tree whose
//! every node knows its line and column, with limits that stop hostile input.
//!
//! We build the tree from saphyr-parser's events ourselves, instead of using a
//! serde deserializer, for two reasons: diagnostics need the position of every
//! key and value, and alias expansion must be bounded (a "billion laughs"
//! document must end in an error, not in an out-of-memory kill).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};
use serde::Serialize;

mod builder;
use builder::*;
mod json;

/// One input text and the name diagnostics give it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceFile {
    /// File name (or `<stdin>`).
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// A position in a source text: 1-based line and column, 0-based character offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    /// 1-based line.
    pub line: u32,
    /// 1-based column, in characters.
    pub column: u32,
    /// 0-based offset in characters from the start of the text.
    pub offset: usize,
}

impl Span {
    fn from_yaml(span: &YamlSpan) -> Self {
        let m = span.start;
        Span {
            line: u32::try_from(m.line()).unwrap_or(u32::MAX),
            column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
            offset: m.index(),
        }
    }
}

/// Bounds on what one parse may consume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted text, in bytes.
    pub max_bytes: usize,
    /// Deepest accepted nesting of sequences and mappings.
    pub max_depth: usize,
    /// Most nodes one text may produce, aliases expanded.
    pub max_nodes: usize,
    /// Most nodes that anchors and aliases may copy: the alias-expansion limit
    /// (a billion-laughs document stops here). Keeping an anchored node for
    /// later aliases is a copy too.
    pub max_alias_nodes: usize,
    /// Most bytes of scalar text that anchors and aliases may copy: the
    /// alias-expansion limit for long strings (`&a "<1 MB>"` aliased a million
    /// times is one node per alias but a terabyte of text).
    pub max_alias_bytes: usize,
    /// Most documents in one YAML stream.
    pub max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // Generous for any real manifest or policy (the largest IAM document is
        // 10,240 characters; large Helm renders stay well under 5 MB), small
        // enough that hostile input ends in milliseconds.
        Limits {
            max_bytes: 5 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
            max_alias_bytes: 16 * 1024 * 1024,
            max_documents: 10_000,
        }
    }
}

/// Why a text could not be turned into documents.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    /// The text is not valid YAML or JSON.
    #[error("{message}")]
    Syntax {
        /// What the parser reported.
        message: String,
        /// Where.
        span: Span,
    },
    /// A limit in [`Limits`] was hit.
    #[error("{what} exceeds the limit of {limit}")]
    Limit {
        /// Which limit, in words ("input size in bytes", "nesting depth", ...).
        what: &'static str,
        /// The configured value.
        limit: usize,
        /// Where the limit was hit.
        span: Span,
    },
}

impl SourceError {
    /// Where the error was found.
    pub fn span(&self) -> Span {
        match self {
            SourceError::Syntax { span, .. } | SourceError::Limit { span, .. } => *span,
        }
    }
}

/// A scalar, resolved the way Kubernetes reads YAML (YAML 1.1 booleans included,
/// because `yes`/`on` are booleans to kubectl).
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// `null`, `~` or nothing.
    Null,
    /// `true`, `false`, `yes`, `no`, `on`, `off` (plain only).
    Bool(bool),
    /// An integer or float written without quotes.
    Number(serde_json::Number),
    /// Anything else, and every quoted or block scalar (its text is the node's `raw`).
    Str,
}

/// A node's content.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A scalar, with the text exactly as written (without quotes).
    Scalar {
        /// The resolved value.
        value: Scalar,
        /// The text as written.
        raw: String,
    },
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are nodes so that they carry spans.
    Map(Vec<(Node, Node)>),
}

/// One node of a located document.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The content.
    pub value: Value,
    /// Where the node starts.
    pub span: Span,
}

/// One document of a stream.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// The root node (a null scalar for an empty document).
    pub root: Node,
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

/// What a stream has consumed of the limits so far, across its documents.
#[derive(Debug, Default, Clone, Copy)]
struct Budget {
    nodes: usize,
    alias_nodes: usize,
    alias_bytes: usize,
    documents: usize,
}

/// Where a document's text starts in the whole text: lines and characters before it.
#[derive(Debug, Default, Clone, Copy)]
struct Shift {
    lines: u32,
    chars: usize,
}

impl Shift {
    fn apply(self, mut span: Span) -> Span {
        span.line = span.line.saturating_add(self.lines);
        span.offset = span.offset.saturating_add(self.chars);
        span
    }

    /// The error with its span moved.
    fn error(self, e: SourceError) -> SourceError {
        match e {
            SourceError::Syntax { message, span } => SourceError::Syntax {
                message,
                span: self.apply(span),
            },
            SourceError::Limit { what, limit, span } => SourceError::Limit {
                what,
                limit,
                span: self.apply(span),
            },
        }
    }
}

/// Splits a YAML stream at its `---` lines. YAML forbids `---` at the start
/// of a line inside any content, so this is exactly where documents begin.
fn documents_of(text: &str) -> Vec<(&str, Shift)> {
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

impl Span {
    /// The span of a 1-based line and a 0-based byte column in `text` (after a BOM when `bom`).
    fn at(text: &str, line: usize, byte_col: usize, bom: bool) -> Span {
        let body = if bom {
            text.get(3..).unwrap_or("")
        } else {
            text
        };
        let before: usize = body
            .split_inclusive('\n')
            .take(line.saturating_sub(1))
            .map(|l| l.chars().count())
            .sum();
        let line_text = body.lines().nth(line.saturating_sub(1)).unwrap_or("");
        let column = line_text.get(..byte_col).map_or(0, |p| p.chars().count());
        Span {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
            offset: before + column + usize::from(bom),
        }
    }
}

impl Node {
    /// The string of a scalar, as written (numbers and booleans included).
    pub fn as_text(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar { raw, .. } => Some(raw),
            _ => None,
        }
    }

    /// The string of a scalar that YAML reads as a string (quoted, or plain text).
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Scalar {
                value: Scalar::Str,
                raw: s,
            } => Some(s),
            _ => None,
        }
    }

    /// The entries of a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items of a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// The entry for `key` in a mapping: the key node and the value node.
    /// For a key written twice, its last writing: what a JSON reader, the
    /// spec loader and Kubernetes' YAML reader keep (IRSA021 says so).
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .rfind(|(k, _)| k.as_text() == Some(key))
            .map(|(k, v)| (k, v))
    }

    /// The value for `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|(_, v)| v)
    }

    /// True for a null scalar.
    pub fn is_null(&self) -> bool {
        matches!(
            self.value,
            Value::Scalar {
                value: Scalar::Null,
                ..
            }
        )
    }

    /// A mapping key as JSON (and so the spec reader) sees it: its text, or
    /// the JSON of a collection key. `1` and `"1"` are the same key here.
    pub fn key_text(&self) -> Cow<'_, str> {
        match self.as_text() {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(self.to_json().to_string()),
        }
    }

    /// The entries of a mapping as a JSON object holds them (what
    /// [`Node::to_json`] writes): one per key text, in the order keys first
    /// appear, a key written twice keeping its last value (see
    /// [`Node::duplicate_keys`]). Empty for a node that is not a mapping.
    pub fn json_entries(&self) -> Vec<JsonEntry<'_>> {
        let entries = self.as_map().unwrap_or_default();
        let mut out: Vec<JsonEntry<'_>> = Vec::with_capacity(entries.len());
        let mut seen: HashMap<Cow<'_, str>, usize> = HashMap::with_capacity(entries.len());
        for (key_node, value) in entries {
            let key = key_node.key_text();
            match seen.get(&key).and_then(|&i| out.get_mut(i)) {
                Some(earlier) => (earlier.key_node, earlier.value) = (key_node, value),
                None => {
                    seen.insert(key.clone(), out.len());
                    out.push(JsonEntry {
                        key,
                        key_node,
                        value,
                    });
                }
            }
        }
        out
    }

    /// Every key written a second time in the same mapping, anywhere under
    /// this node, in document order: JSON readers (the spec's, IAM's,
    /// kubectl's) keep one of the two and drop the other in silence. Merged
    /// keys (`<<`) are not written twice: the merge already resolved them.
    /// Linear in the size of the tree.
    pub fn duplicate_keys(&self) -> Vec<DuplicateKey> {
        let mut out = Vec::new();
        self.collect_duplicates(&mut FieldPath::root(), &mut out);
        out
    }

    fn collect_duplicates(&self, path: &mut FieldPath, out: &mut Vec<DuplicateKey>) {
        match &self.value {
            Value::Scalar { .. } => {}
            Value::Seq(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.0.push(Seg::Index(i));
                    item.collect_duplicates(path, out);
                    path.0.pop();
                }
            }
            Value::Map(entries) => {
                let mut first: HashMap<Cow<'_, str>, Span> = HashMap::with_capacity(entries.len());
                for (key, value) in entries {
                    let text = key.key_text();
                    match first.get(&text) {
                        Some(&span) => out.push(DuplicateKey {
                            path: path.key(&text),
                            first: span,
                            second: key.span,
                        }),
                        None => {
                            first.insert(text.clone(), key.span);
                        }
                    }
                    path.0.push(Seg::Key(text.into_owned()));
                    value.collect_duplicates(path, out);
                    path.0.pop();
                }
            }
        }
    }

    /// The node converted to JSON, keeping mapping order. Keys become their text.
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Scalar { value, raw } => match value {
                Scalar::Null => serde_json::Value::Null,
                Scalar::Bool(b) => serde_json::Value::Bool(*b),
                Scalar::Number(n) => serde_json::Value::Number(n.clone()),
                Scalar::Str => serde_json::Value::String(raw.clone()),
            },
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.key_text().into_owned(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The characters of [`Node::to_json`] written compactly (what
    /// `serde_json::to_string` writes), counted without building either:
    /// the length IAM's limit on a trust policy counts (IRSA013).
    pub fn json_chars(&self) -> usize {
        match &self.value {
            Value::Scalar { value, raw } => match value {
                Scalar::Null | Scalar::Bool(true) => 4,
                Scalar::Bool(false) => 5,
                Scalar::Number(n) => serde_json::to_string(n).map_or(0, |s| s.chars().count()),
                Scalar::Str => json_string_chars(raw),
            },
            Value::Seq(items) => {
                2 + items.len().saturating_sub(1)
                    + items.iter().map(Node::json_chars).sum::<usize>()
            }
            Value::Map(entries) => {
                // A small mapping without a key written twice is its JSON
                // object entry for entry; otherwise the object's entries.
                let unique = entries.len() <= 16
                    && entries.iter().enumerate().all(|(i, (k, _))| {
                        let key = k.key_text();
                        entries
                            .get(..i)
                            .unwrap_or_default()
                            .iter()
                            .all(|(earlier, _)| earlier.key_text() != key)
                    });
                let (count, chars) = if unique {
                    let chars = entries
                        .iter()
                        .map(|(k, v)| json_string_chars(&k.key_text()) + 1 + v.json_chars())
                        .sum::<usize>();
                    (entries.len(), chars)
                } else {
                    let kept = self.json_entries();
                    let chars = kept
                        .iter()
                        .map(|e| json_string_chars(&e.key) + 1 + e.value.json_chars())
                        .sum::<usize>();
                    (kept.len(), chars)
                };
                2 + count.saturating_sub(1) + chars
            }
        }
    }

    /// The span of the node at `path`, or of its deepest existing ancestor.
    /// For a mapping entry, the span of the value (of the key when the value is null).
    pub fn locate(&self, path: &FieldPath) -> Span {
        let mut node = self;
        for seg in &path.0 {
            let next = match seg {
                Seg::Key(k) => node
                    .entry(k)
                    .map(|(key, value)| if value.is_null() { key } else { value }),
                Seg::Index(i) => node.as_seq().and_then(|items| items.get(*i)),
            };
            match next {
                Some(n) => node = n,
                None => break,
            }
        }
        node.span
    }
}

/// The characters of a JSON string as serde_json writes it: quoted, `"`,
/// `\\` and control characters escaped (`\n`, `\u0001`).
fn json_string_chars(s: &str) -> usize {
    2 + s
        .chars()
        .map(|c| match c {
            '"' | '\\' | '\u{8}' | '\u{c}' | '\n' | '\r' | '\t' => 2,
            '\0'..='\u{1f}' => 6,
            _ => 1,
        })
        .sum::<usize>()
}

/// One entry of [`Node::json_entries`].
#[derive(Debug, Clone)]
pub struct JsonEntry<'n> {
    /// The key's text.
    pub key: Cow<'n, str>,
    /// The key as written (its last writing, for a key written twice).
    pub key_node: &'n Node,
    /// The value (the last one, for a key written twice).
    pub value: &'n Node,
}

/// A key written twice in one mapping ([`Node::duplicate_keys`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The path of the key (`bindings[0].namespace`).
    pub path: FieldPath,
    /// Where the key is first written.
    pub first: Span,
    /// Where it is written again.
    pub second: Span,
}

/// One step of a [`FieldPath`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Seg {
    /// A mapping key.
    Key(String),
    /// A sequence index.
    Index(usize),
}

/// A path into a document, displayed as `bindings[1].namespace`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct FieldPath(pub Vec<Seg>);

impl FieldPath {
    /// The empty path (the document itself).
    pub fn root() -> Self {
        FieldPath(Vec::new())
    }

    /// Parses the display form back (`bindings[1].namespace`). Keys containing `.` or `[`
    /// cannot be told apart; such paths resolve to their nearest ancestor, which is enough
    /// for pointing at a line.
    pub fn parse(s: &str) -> Self {
        let mut segs = Vec::new();
        for piece in s.split('.').filter(|p| !p.is_empty()) {
            let (key, mut rest) = match piece.find('[') {
                Some(i) => (piece.get(..i).unwrap_or(""), piece.get(i..).unwrap_or("")),
                None => (piece, ""),
            };
            if !key.is_empty() {
                segs.push(Seg::Key(key.to_string()));
            }
            while let Some(r) = rest.strip_prefix('[') {
                let Some(end) = r.find(']') else { break };
                if let Ok(i) = r.get(..end).unwrap_or("").parse() {
                    segs.push(Seg::Index(i));
                }
                rest = r.get(end + 1..).unwrap_or("");
            }
        }
        FieldPath(segs)
    }

    /// The last key of the path, if it ends in a key.
    pub fn last_key(&self) -> Option<String> {
        match self.0.last() {
            Some(Seg::Key(k)) => Some(k.clone()),
            _ => None,
        }
    }

    /// This path extended by a key.
    pub fn key(&self, key: &str) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Key(key.to_string()));
        p
    }

    /// This path extended by an index.
    pub fn index(&self, i: usize) -> Self {
        let mut p = self.clone();
        p.0.push(Seg::Index(i));
        p
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
