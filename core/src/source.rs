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
        return Ok(out);
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
    let moved = |e: SourceError| match e {
        SourceError::Syntax { message, span } => SourceError::Syntax {
            message,
            span: shift.apply(span),
        },
        SourceError::Limit { what, limit, span } => SourceError::Limit {
            what,
            limit,
            span: shift.apply(span),
        },
    };
    check_size(part, limits).map_err(moved)?;
    strict_json(part, limits).map_err(moved)?;
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

/// Parses one part of a stream, counting against the stream's budget.
fn parse_chunk(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    shift: Shift,
) -> Result<Vec<Document>, SourceError> {
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: budget.nodes,
        alias_nodes: budget.alias_nodes,
        alias_bytes: budget.alias_bytes,
        prior_documents: budget.documents,
        docs: Vec::new(),
    };
    let result = feed(&mut builder, text, shift);
    *budget = Budget {
        nodes: builder.nodes,
        alias_nodes: builder.alias_nodes,
        alias_bytes: builder.alias_bytes,
        documents: builder.prior_documents + builder.docs.len(),
    };
    result.map(|()| builder.docs)
}

fn feed(builder: &mut Builder<'_>, text: &str, shift: Shift) -> Result<(), SourceError> {
    let limits = builder.limits;
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let span = shift.apply(Span {
                line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
                offset: e.marker().index(),
            });
            // The scanner has its own nesting guard, which can trip before ours.
            if e.info().contains("recursion limit") {
                SourceError::Limit {
                    what: "nesting depth",
                    limit: limits.max_depth,
                    span,
                }
            } else {
                SourceError::Syntax {
                    message: e.info().to_string(),
                    span,
                }
            }
        })?;
        builder.event(event, shift.apply(Span::from_yaml(&span)))?;
    }
    Ok(())
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Open>,
    /// Anchored nodes kept for aliases, with their node count and scalar bytes.
    anchors: HashMap<usize, (Node, Weight)>,
    nodes: usize,
    alias_nodes: usize,
    alias_bytes: usize,
    /// Documents of the stream before this part.
    prior_documents: usize,
    docs: Vec<Document>,
}

/// What copying a node costs: its nodes and the bytes of its scalars.
#[derive(Debug, Clone, Copy)]
struct Weight {
    nodes: usize,
    bytes: usize,
}

impl Weight {
    const ONE: Weight = Weight { nodes: 1, bytes: 0 };

    fn add(&mut self, other: Weight) {
        self.nodes = self.nodes.saturating_add(other.nodes);
        self.bytes = self.bytes.saturating_add(other.bytes);
    }
}

enum Open {
    Seq {
        items: Vec<Node>,
        span: Span,
        anchor: usize,
        size: Weight,
        intrinsic: Option<&'static str>,
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        span: Span,
        anchor: usize,
        size: Weight,
        intrinsic: Option<&'static str>,
        /// Indexes in `entries` of merge keys (`<<`), in ascending order.
        merges: Vec<usize>,
    },
}

/// The long form of a CloudFormation short tag (`!Sub` -> `Fn::Sub`,
/// `!Ref` -> `Ref`): a tagged node is read as the one-entry mapping
/// CloudFormation reads it as. Every other tag is ignored, as before.
fn intrinsic_of(tag: Option<&saphyr_parser::Tag>) -> Option<&'static str> {
    let tag = tag?;
    (tag.handle == "!")
        .then(|| crate::short_tags::long_form(&tag.suffix))
        .flatten()
}

/// `node` as `{long: node}` when it carried an intrinsic tag.
fn wrap(node: Node, intrinsic: Option<&'static str>, size: &mut Weight) -> Node {
    let Some(long) = intrinsic else { return node };
    size.nodes = size.nodes.saturating_add(2);
    let span = node.span;
    let key = Node {
        value: Value::Scalar {
            value: Scalar::Str,
            raw: long.to_string(),
        },
        span,
    };
    Node {
        value: Value::Map(vec![(key, node)]),
        span,
    }
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SourceError> {
        match event {
            Event::DocumentStart(_) => {
                if self.prior_documents + self.docs.len() >= self.limits.max_documents {
                    return Err(SourceError::Limit {
                        what: "number of documents",
                        limit: self.limits.max_documents,
                        span,
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                let intrinsic = intrinsic_of(tag.as_deref());
                if style == ScalarStyle::Plain && tag.is_none() && text == "<<" {
                    self.mark_merge_key();
                }
                let value = resolve(&text, style);
                let mut size = Weight {
                    nodes: 1,
                    bytes: text.len(),
                };
                let node = Node {
                    value: Value::Scalar {
                        value,
                        raw: text.into_owned(),
                    },
                    span,
                };
                let node = wrap(node, intrinsic, &mut size);
                self.count(size.nodes, span)?;
                if anchor > 0 {
                    self.keep(anchor, &node, size, span)?;
                }
                self.push(node, size);
            }
            Event::SequenceStart(anchor, tag) => {
                self.open(span)?;
                self.stack.push(Open::Seq {
                    items: Vec::new(),
                    span,
                    anchor,
                    size: Weight::ONE,
                    intrinsic: intrinsic_of(tag.as_deref()),
                });
            }
            Event::MappingStart(anchor, tag) => {
                self.open(span)?;
                self.stack.push(Open::Map {
                    entries: Vec::new(),
                    key: None,
                    span,
                    anchor,
                    size: Weight::ONE,
                    intrinsic: intrinsic_of(tag.as_deref()),
                    merges: Vec::new(),
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, mut size, intrinsic) = match self.stack.pop() {
                    Some(Open::Seq {
                        items,
                        span,
                        anchor,
                        size,
                        intrinsic,
                    }) => (
                        Node {
                            value: Value::Seq(items),
                            span,
                        },
                        anchor,
                        size,
                        intrinsic,
                    ),
                    Some(Open::Map {
                        entries,
                        span,
                        anchor,
                        size,
                        intrinsic,
                        merges,
                        ..
                    }) => (
                        Node {
                            value: Value::Map(merge_keys(entries, &merges)?),
                            span,
                        },
                        anchor,
                        size,
                        intrinsic,
                    ),
                    None => return Ok(()),
                };
                let node = wrap(node, intrinsic, &mut size);
                if anchor > 0 {
                    self.keep(anchor, &node, size, span)?;
                }
                self.push(node, size);
            }
            Event::Alias(id) => {
                let Some((node, size)) = self.anchors.get(&id).cloned() else {
                    return Err(SourceError::Syntax {
                        message: "alias to an unknown anchor".into(),
                        span,
                    });
                };
                // Count before cloning: this is what stops alias bombs.
                self.copy(size, span)?;
                let mut node = node;
                node.span = span;
                self.push(node, size);
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }

    /// Notes that the plain scalar `<<` about to be pushed is a mapping's key:
    /// a YAML 1.1 merge key (a quoted `"<<"` or a tagged `!!str <<` is not).
    fn mark_merge_key(&mut self) {
        if let Some(Open::Map {
            entries,
            key: None,
            merges,
            ..
        }) = self.stack.last_mut()
        {
            merges.push(entries.len());
        }
    }

    fn open(&mut self, span: Span) -> Result<(), SourceError> {
        if self.stack.len() >= self.limits.max_depth {
            return Err(SourceError::Limit {
                what: "nesting depth",
                limit: self.limits.max_depth,
                span,
            });
        }
        self.count(1, span)
    }

    /// Keeps an anchored node for later aliases: a copy, so it is counted.
    fn keep(
        &mut self,
        anchor: usize,
        node: &Node,
        size: Weight,
        span: Span,
    ) -> Result<(), SourceError> {
        self.copy(size, span)?;
        self.anchors.insert(anchor, (node.clone(), size));
        Ok(())
    }

    /// Counts a copy of a node (an anchor kept, an alias expanded) before it is made.
    fn copy(&mut self, size: Weight, span: Span) -> Result<(), SourceError> {
        self.count(size.nodes, span)?;
        self.alias_nodes = self.alias_nodes.saturating_add(size.nodes);
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err(SourceError::Limit {
                what: "alias expansion (nodes copied by anchors and aliases)",
                limit: self.limits.max_alias_nodes,
                span,
            });
        }
        self.alias_bytes = self.alias_bytes.saturating_add(size.bytes);
        if self.alias_bytes > self.limits.max_alias_bytes {
            return Err(SourceError::Limit {
                what: "alias expansion (bytes of text copied by anchors and aliases)",
                limit: self.limits.max_alias_bytes,
                span,
            });
        }
        Ok(())
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), SourceError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(SourceError::Limit {
                what: "number of nodes",
                limit: self.limits.max_nodes,
                span,
            });
        }
        Ok(())
    }

    fn push(&mut self, node: Node, size: Weight) {
        match self.stack.last_mut() {
            None => self.docs.push(Document { root: node }),
            Some(Open::Seq {
                items, size: total, ..
            }) => {
                total.add(size);
                items.push(node);
            }
            Some(Open::Map {
                entries,
                key,
                size: total,
                ..
            }) => {
                total.add(size);
                match key.take() {
                    None => *key = Some(node),
                    Some(k) => entries.push((k, node)),
                }
            }
        }
    }
}

/// Resolves a mapping's merge keys as Kubernetes reads them. kubectl turns
/// YAML into JSON with sigs.k8s.io/yaml, whose go-yaml v2 reader writes a
/// mapping's entries in source order, the last write of a key winning:
/// `<<: *base` writes the entries of the mapping `base`, and `<<: [*a, *b]`
/// those of each mapping from the last to the first (an earlier mapping wins
/// over a later one). So a key written after `<<` wins over the merged one,
/// as YAML 1.1 says; one written before `<<` loses to it (PyYAML would keep
/// it; the API server gets what kubectl sends). Two written keys of the same
/// name both stay: they are duplicates, not merges. Merged entries take the
/// place of the `<<` entry and keep their spans: a finding about a merged
/// value points at the anchor's text. Nothing is copied that the aliases have
/// not already counted against the limits, and the work is linear.
fn merge_keys(
    entries: Vec<(Node, Node)>,
    merges: &[usize],
) -> Result<Vec<(Node, Node)>, SourceError> {
    if merges.is_empty() {
        return Ok(entries);
    }
    let is_merge = |i: usize| merges.binary_search(&i).is_ok();
    // From the last entry back: what a later entry writes, an earlier loses.
    let mut written_later: HashSet<String> = HashSet::new();
    let mut merged_later: HashSet<String> = HashSet::new();
    let mut groups: Vec<Vec<(Node, Node)>> = Vec::with_capacity(entries.len());
    for (i, (key, value)) in entries.into_iter().enumerate().rev() {
        if !is_merge(i) {
            let id = key_identity(&key);
            let kept = !merged_later.contains(&id);
            written_later.insert(id);
            groups.push(if kept { vec![(key, value)] } else { Vec::new() });
            continue;
        }
        let span = value.span;
        let maps = match value.value {
            Value::Map(_) => vec![value],
            Value::Seq(items) => items,
            Value::Scalar { .. } => return Err(not_mergeable(span)),
        };
        let mut group = Vec::new();
        let mut in_group = HashSet::new();
        for map in maps {
            let Value::Map(merged) = map.value else {
                return Err(not_mergeable(map.span));
            };
            for (k, v) in merged {
                let id = key_identity(&k);
                if !written_later.contains(&id) && in_group.insert(id) {
                    group.push((k, v));
                }
            }
        }
        merged_later.extend(in_group.iter().cloned());
        written_later.extend(in_group);
        groups.push(group);
    }
    Ok(groups.into_iter().rev().flatten().collect())
}

/// What makes two mapping keys the same key: the resolved scalar (`1` and
/// `"1"` differ), or the whole node for a collection key.
fn key_identity(key: &Node) -> String {
    match &key.value {
        Value::Scalar {
            value: Scalar::Str,
            raw,
        } => format!("s{raw}"),
        _ => format!("v{}", key.to_json()),
    }
}

fn not_mergeable(span: Span) -> SourceError {
    SourceError::Syntax {
        message: "a merge key (`<<`) takes a mapping or a list of mappings".into(),
        span,
    }
}

fn resolve(text: &str, style: ScalarStyle) -> Scalar {
    if style != ScalarStyle::Plain {
        return Scalar::Str;
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Scalar::Null,
        "true" | "True" | "TRUE" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" => {
            return Scalar::Bool(true)
        }
        "false" | "False" | "FALSE" | "no" | "No" | "NO" | "off" | "Off" | "OFF" => {
            return Scalar::Bool(false)
        }
        _ => {}
    }
    if looks_numeric(text) {
        if let Ok(i) = text.parse::<i64>() {
            return Scalar::Number(i.into());
        }
        if let Ok(u) = text.parse::<u64>() {
            return Scalar::Number(u.into());
        }
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Scalar::Number(n);
        }
    }
    Scalar::Str
}

/// YAML core-schema numbers only: `1`, `-2`, `3.5`, `1e3` (not `inf`, `0x1f` stays text).
fn looks_numeric(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let mut digits = false;
    for c in body.chars() {
        match c {
            '0'..='9' => digits = true,
            '.' | 'e' | 'E' | '-' | '+' => {}
            _ => return false,
        }
    }
    digits && body.starts_with(|c: char| c.is_ascii_digit() || c == '.')
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
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let docs = parse_documents(text, &Limits::default()).unwrap();
        docs.into_iter().next().unwrap().root
    }

    #[test]
    fn spans_are_one_based() {
        let root = one("a: 1\nb:\n  c: \"x\"\n");
        let c = root.get("b").unwrap().get("c").unwrap();
        assert_eq!((c.span.line, c.span.column), (3, 6));
        assert_eq!(c.as_str(), Some("x"));
    }

    #[test]
    fn json_is_yaml() {
        let root = one("{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\"}]}");
        assert_eq!(root.get("Version").unwrap().as_str(), Some("2012-10-17"));
        assert_eq!(root.to_json()["Statement"][0]["Effect"], "Allow");
    }

    #[test]
    fn kubernetes_scalars() {
        let root = one("a: 86400\nb: \"86400\"\nc: yes\nd: 012345678901\ne: 1.5\n");
        assert!(matches!(
            root.get("a").unwrap().value,
            Value::Scalar {
                value: Scalar::Number(_),
                ..
            }
        ));
        assert_eq!(root.get("b").unwrap().as_str(), Some("86400"));
        assert!(matches!(
            root.get("c").unwrap().value,
            Value::Scalar {
                value: Scalar::Bool(true),
                ..
            }
        ));
        assert_eq!(root.get("d").unwrap().as_text(), Some("012345678901"));
        assert!(matches!(
            root.get("e").unwrap().value,
            Value::Scalar {
                value: Scalar::Number(_),
                ..
            }
        ));
    }

    #[test]
    fn alias_bomb_hits_node_limit() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let prev = i - 1;
            text.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
        }
        let err = parse_documents(&text, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::Limit {
                    what: "alias expansion (nodes copied by anchors and aliases)",
                    limit: 100_000,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    #[test]
    fn long_string_alias_bomb_hits_alias_bytes_limit() {
        // One node per alias, but a megabyte of text each time.
        let text = format!(
            "a: &a \"{}\"\nb: [{}]\n",
            "x".repeat(1 << 20),
            "*a, ".repeat(100)
        );
        let err = parse_documents(&text, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::Limit {
                    what: "alias expansion (bytes of text copied by anchors and aliases)",
                    limit: 16_777_216,
                    ..
                }
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            "alias expansion (bytes of text copied by anchors and aliases) exceeds the limit of 16777216"
        );
    }

    #[test]
    fn nested_anchors_count_their_copies() {
        // 100 anchors around the same 20,000 nodes: keeping each anchored copy
        // would copy 2 million nodes without a single alias.
        let mut text = "x, ".repeat(20_000);
        for i in 0..100 {
            text = format!("&a{i} [{text}]");
        }
        let limits = Limits {
            max_depth: 200,
            ..Limits::default()
        };
        let err = parse_documents(&text, &limits).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::Limit {
                    what: "alias expansion (nodes copied by anchors and aliases)",
                    limit: 100_000,
                    ..
                }
            ),
            "{err:?}"
        );
        // Without the anchors the same text is fine.
        let plain = text
            .split(['&'])
            .map(|p| p.trim_start_matches(|c: char| c.is_ascii_alphanumeric()))
            .collect::<String>();
        assert!(parse_documents(&plain, &limits).is_ok());
    }

    #[test]
    fn every_limit_names_itself_and_its_value() {
        let small = Limits {
            max_bytes: 20,
            max_depth: 3,
            max_nodes: 8,
            max_alias_nodes: 3,
            max_documents: 2,
            max_alias_bytes: 4,
        };
        let cases = [
            ("a: 123456789012345678901", "input size in bytes exceeds the limit of 20"),
            ("[[[[1]]]]", "nesting depth exceeds the limit of 3"),
            ("[1,2,3,4,5,6,7,8]", "number of nodes exceeds the limit of 8"),
            ("[&a x, *a, *a, *a]", "alias expansion (nodes copied by anchors and aliases) exceeds the limit of 3"),
            ("a\n---\nb\n---\nc", "number of documents exceeds the limit of 2"),
            ("[&a abc, *a]", "alias expansion (bytes of text copied by anchors and aliases) exceeds the limit of 4"),
        ];
        for (text, message) in cases {
            let err = parse_documents(text, &small).unwrap_err();
            assert_eq!(err.to_string(), message, "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_hits_depth_limit() {
        let text = "[".repeat(100_000);
        let err = parse_documents(&text, &Limits::default()).unwrap_err();
        assert!(
            matches!(
                err,
                SourceError::Limit {
                    what: "nesting depth",
                    limit: 128,
                    ..
                }
            ),
            "{err:?}"
        );
    }

    fn syntax(text: &str, json: bool) -> (String, u32, u32) {
        let docs = read_stream(text, json, &Limits::default()).unwrap();
        match docs.into_iter().find_map(Result::err) {
            Some(SourceError::Syntax { message, span }) => (message, span.line, span.column),
            other => panic!("{text:?}: {other:?}"),
        }
    }

    #[test]
    fn json_is_strict_at_the_offending_character() {
        let (m, l, c) = syntax("{\n  \"a\": 1,\n}\n", true);
        assert_eq!((l, c), (2, 9), "{m}");
        assert!(m.contains("trailing comma"), "{m}");
        let (m, l, c) = syntax("{\n  \"a\": 1, // why\n  \"b\": 2\n}", false);
        assert_eq!((l, c), (2, 11));
        assert!(m.contains("comments"), "{m}");
        let (m, _, c) = syntax("{'a': 1}", true);
        assert_eq!(c, 2);
        assert!(m.contains("double quotes"), "{m}");
        let (m, _, c) = syntax("{\"é\": 1, x: 2}", true);
        assert_eq!(c, 10, "columns count characters");
        assert!(m.contains("quoted"), "{m}");
        let (m, l, c) = syntax("[1,\n 2,\n\n]", false);
        assert_eq!((l, c), (2, 3), "{m}");
        // YAML may have trailing commas in flow collections; JSON may not.
        assert!(read_stream("{a: 1,}", false, &Limits::default()).unwrap()[0].is_ok());
        assert!(
            read_stream("{\"a\": 1}\n{\"b\": 2}\n", true, &Limits::default())
                .unwrap()
                .iter()
                .all(Result::is_ok)
        );
    }

    #[test]
    fn starts_as_json_only_when_only_json_starts_so() {
        for t in [
            "{\"a\":1}",
            " \n{}",
            "[{}]",
            "[\"a\"]",
            "[1]",
            "\u{feff}{\"a\": 1}",
        ] {
            assert!(starts_as_json(t), "{t:?}");
        }
        for t in ["{a: 1}", "[x, y]", "[&a x, *a]", "a: 1", ""] {
            assert!(!starts_as_json(t), "{t:?}");
        }
    }

    #[test]
    fn a_broken_document_ends_only_itself() {
        let text = "a: 1\n---\nb: [unclosed\n---\nc: 3\n";
        let docs = read_stream(text, false, &Limits::default()).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(
            docs[0].as_ref().unwrap().root.get("a").unwrap().as_text(),
            Some("1")
        );
        let err = docs[1].as_ref().unwrap_err();
        assert!(err.span().line >= 3, "{err:?}");
        let c = docs[2].as_ref().unwrap();
        assert_eq!(c.root.get("c").unwrap().span.line, 5);
        assert_eq!(
            c.root.get("c").unwrap().span.offset,
            text.find("3\n").unwrap()
        );
        // A limit still ends the whole stream.
        let small = Limits {
            max_documents: 2,
            ..Limits::default()
        };
        assert!(read_stream("a\n---\nb\n---\nc\n", false, &small).is_err());
    }

    #[test]
    fn merge_keys_resolve_as_yaml_1_1_readers_do() {
        let text = "base: &base\n  image: nginx\n  name: base\nextra: &extra\n  name: extra\n  port: 80\none:\n  <<: *base\n  name: own\nlist:\n  <<: [*extra, *base]\nbefore:\n  name: own\n  <<: *base\n";
        let root = one(text);
        let one_ = root.get("one").unwrap();
        // A key written after `<<` wins; merged ones take the `<<` place.
        assert_eq!(
            one_.to_json(),
            serde_json::json!({"image": "nginx", "name": "own"})
        );
        // The merged value points at the anchor's text.
        assert_eq!(one_.get("image").unwrap().span.line, 2);
        // Written before `<<`, it loses, as kubectl (go-yaml v2) reads it.
        assert_eq!(
            root.get("before").unwrap().to_json(),
            serde_json::json!({"image": "nginx", "name": "base"})
        );
        assert_eq!(
            root.get("before").unwrap().get("name").unwrap().span.line,
            3
        );
        // Duplicates written by hand are not merges: both stay.
        assert_eq!(
            one("a: &a {x: 1}\nb: {y: 1, y: 2, <<: *a}\n")
                .get("b")
                .unwrap()
                .as_map()
                .unwrap()
                .len(),
            3
        );
        // An earlier mapping of the list wins over a later one.
        assert_eq!(
            root.get("list").unwrap().to_json(),
            serde_json::json!({"name": "extra", "port": 80, "image": "nginx"})
        );
    }

    #[test]
    fn only_a_plain_untagged_merge_key_merges() {
        let root = one("a: &a {x: 1}\nb: {\"<<\": *a}\nc: {!!str <<: *a}\n");
        assert_eq!(
            root.get("b").unwrap().to_json(),
            serde_json::json!({"<<": {"x": 1}})
        );
        assert_eq!(
            root.get("c").unwrap().to_json(),
            serde_json::json!({"<<": {"x": 1}})
        );
        let err = parse_documents("a: &a x\nb:\n  <<: *a\n", &Limits::default()).unwrap_err();
        assert!(err.to_string().contains("merge key"), "{err}");
        let err = parse_documents("a: {<<: [{x: 1}, y]}\n", &Limits::default()).unwrap_err();
        assert_eq!(err.span().column, 18, "{err:?}");
    }

    #[test]
    fn merge_keys_stay_within_the_alias_limits() {
        let mut text = String::from(
            "a0: &a0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x}\n",
        );
        for i in 1..12 {
            let prev = i - 1;
            // Every alias in a merge list is a copy, counted, even when the
            // merged keys coincide.
            let list = vec![format!("*a{prev}"); 9].join(", ");
            text.push_str(&format!("a{i}: &a{i} {{<<: [{list}], k{i}: x}}\n"));
        }
        let err = parse_documents(&text, &Limits::default()).unwrap_err();
        assert!(matches!(err, SourceError::Limit { .. }), "{err:?}");
    }

    #[test]
    fn locate_follows_paths() {
        let root = one("bindings:\n  - namespace: Prod\n");
        let path = FieldPath::root().key("bindings").index(0).key("namespace");
        assert_eq!(path.to_string(), "bindings[0].namespace");
        assert_eq!(root.locate(&path).line, 2);
    }
}
