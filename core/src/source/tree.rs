//! The located tree: every node of a YAML or JSON document with its span
//! (line, column, offset), the scalars typed as Kubernetes reads them, and
//! what the checker and the spec loader ask of a node (paths, JSON entries,
//! duplicate keys, its JSON form).

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;

use saphyr_parser::Span as YamlSpan;
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
    pub(super) fn from_yaml(span: &YamlSpan) -> Self {
        let m = span.start;
        Span {
            line: u32::try_from(m.line()).unwrap_or(u32::MAX),
            column: u32::try_from(m.col() + 1).unwrap_or(u32::MAX),
            offset: m.index(),
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

impl Span {
    /// The span of a 1-based line and a 0-based byte column in `text` (after a BOM when `bom`).
    pub(super) fn at(text: &str, line: usize, byte_col: usize, bom: bool) -> Span {
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
        // A small mapping without a key written twice (nearly every one):
        // its entries as they are, without hashing a key.
        if entries.len() <= SMALL_MAP && keys_unique(entries) {
            out.extend(entries.iter().map(|(key_node, value)| JsonEntry {
                key: key_node.key_text(),
                key_node,
                value,
            }));
            return out;
        }
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
        // Most documents have none: a walk that builds no path says so.
        if self.has_duplicate_keys() {
            self.collect_duplicates(&mut FieldPath::root(), &mut out);
        }
        out
    }

    /// True when some mapping under this node writes a key twice.
    fn has_duplicate_keys(&self) -> bool {
        match &self.value {
            Value::Scalar { .. } => false,
            Value::Seq(items) => items.iter().any(Node::has_duplicate_keys),
            Value::Map(entries) => {
                !keys_unique(entries) || entries.iter().any(|(_, v)| v.has_duplicate_keys())
            }
        }
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
                let unique = entries.len() <= SMALL_MAP && keys_unique(entries);
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
/// Mappings of at most this many entries are searched for a key written
/// twice by comparing each key with the earlier ones (no hash set).
const SMALL_MAP: usize = 16;

/// True when no key of the mapping is written twice.
fn keys_unique(entries: &[(Node, Node)]) -> bool {
    if entries.len() <= SMALL_MAP {
        return entries.iter().enumerate().all(|(i, (k, _))| {
            let key = k.key_text();
            entries
                .get(..i)
                .unwrap_or_default()
                .iter()
                .all(|(earlier, _)| earlier.key_text() != key)
        });
    }
    let mut seen = std::collections::HashSet::with_capacity(entries.len());
    entries.iter().all(|(k, _)| seen.insert(k.key_text()))
}

/// One in each byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;

/// True when a byte of `v` is below `n` (at most 128): the word-at-a-time
/// test, exact for "is there such a byte".
fn has_below(v: u64, n: u8) -> bool {
    v.wrapping_sub(ONES * u64::from(n)) & !v & (ONES << 7) != 0
}

/// How many bytes at the start of `bytes` are printable ASCII other than
/// `"` and `\`: the run a JSON string writes as itself, one byte one
/// character. Eight bytes at a time: strings are most of a policy's bytes.
pub(super) fn plain_json_run(bytes: &[u8]) -> usize {
    let plain = |b: u8| (0x20..0x7f).contains(&b) && b != b'"' && b != b'\\';
    let mut n = 0;
    for w in bytes.chunks_exact(8) {
        let v = <[u8; 8]>::try_from(w).map_or(0, u64::from_le_bytes);
        let stop = has_below(v, 0x20)
            || v & (ONES << 7) != 0
            || has_below(v ^ (ONES * 0x7f), 1)
            || has_below(v ^ (ONES * u64::from(b'"')), 1)
            || has_below(v ^ (ONES * u64::from(b'\\')), 1);
        if stop {
            break;
        }
        n += 8;
    }
    n + bytes
        .get(n..)
        .unwrap_or_default()
        .iter()
        .take_while(|&&b| plain(b))
        .count()
}

fn json_string_chars(s: &str) -> usize {
    // The common case: printable ASCII with nothing to escape.
    if plain_json_run(s.as_bytes()) == s.len() {
        return 2 + s.len();
    }
    // Byte by byte: a character is counted at its first byte (escapes are
    // ASCII), a UTF-8 continuation byte adds nothing.
    2 + s
        .bytes()
        .map(|b| match b {
            b'"' | b'\\' | 0x08 | 0x0c | b'\n' | b'\r' | b'\t' => 2,
            0x00..=0x1f => 6,
            0x80..=0xbf => 0,
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
