//! Located documents: YAML (and JSON, which is YAML) parsed into a tree whose
//! every node knows its line and column, with limits that stop hostile input.
//!
//! We build the tree from saphyr-parser's events ourselves, instead of using a
//! serde deserializer, for two reasons: diagnostics need the position of every
//! key and value, and alias expansion must be bounded (a "billion laughs"
//! document must end in an error, not in an out-of-memory kill).

use std::collections::HashMap;
use std::fmt;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YamlSpan};
use serde::Serialize;

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
    let mut builder = Builder {
        limits,
        stack: Vec::new(),
        anchors: HashMap::new(),
        nodes: 0,
        alias_nodes: 0,
        alias_bytes: 0,
        docs: Vec::new(),
    };
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| {
            let span = Span {
                line: u32::try_from(e.marker().line()).unwrap_or(u32::MAX),
                column: u32::try_from(e.marker().col() + 1).unwrap_or(u32::MAX),
                offset: e.marker().index(),
            };
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
        builder.event(event, Span::from_yaml(&span))?;
    }
    Ok(builder.docs)
}

struct Builder<'l> {
    limits: &'l Limits,
    stack: Vec<Open>,
    /// Anchored nodes kept for aliases, with their node count and scalar bytes.
    anchors: HashMap<usize, (Node, Weight)>,
    nodes: usize,
    alias_nodes: usize,
    alias_bytes: usize,
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
    },
    Map {
        entries: Vec<(Node, Node)>,
        key: Option<Node>,
        span: Span,
        anchor: usize,
        size: Weight,
    },
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), SourceError> {
        match event {
            Event::DocumentStart(_) => {
                if self.docs.len() >= self.limits.max_documents {
                    return Err(SourceError::Limit {
                        what: "number of documents",
                        limit: self.limits.max_documents,
                        span,
                    });
                }
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let value = resolve(&text, style);
                let size = Weight {
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
                self.count(1, span)?;
                if anchor > 0 {
                    self.keep(anchor, &node, size, span)?;
                }
                self.push(node, size);
            }
            Event::SequenceStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::Seq {
                    items: Vec::new(),
                    span,
                    anchor,
                    size: Weight::ONE,
                });
            }
            Event::MappingStart(anchor, _) => {
                self.open(span)?;
                self.stack.push(Open::Map {
                    entries: Vec::new(),
                    key: None,
                    span,
                    anchor,
                    size: Weight::ONE,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor, size) = match self.stack.pop() {
                    Some(Open::Seq {
                        items,
                        span,
                        anchor,
                        size,
                    }) => (
                        Node {
                            value: Value::Seq(items),
                            span,
                        },
                        anchor,
                        size,
                    ),
                    Some(Open::Map {
                        entries,
                        span,
                        anchor,
                        size,
                        ..
                    }) => (
                        Node {
                            value: Value::Map(entries),
                            span,
                        },
                        anchor,
                        size,
                    ),
                    None => return Ok(()),
                };
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
    pub fn entry(&self, key: &str) -> Option<(&Node, &Node)> {
        self.as_map()?
            .iter()
            .find(|(k, _)| k.as_text() == Some(key))
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
                    .map(|(k, v)| {
                        (
                            k.as_text()
                                .map_or_else(|| k.to_json().to_string(), str::to_string),
                            v.to_json(),
                        )
                    })
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

    #[test]
    fn locate_follows_paths() {
        let root = one("bindings:\n  - namespace: Prod\n");
        let path = FieldPath::root().key("bindings").index(0).key("namespace");
        assert_eq!(path.to_string(), "bindings[0].namespace");
        assert_eq!(root.locate(&path).line, 2);
    }
}
