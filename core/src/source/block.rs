//! A one-pass reader of plain block YAML straight into the located tree: the
//! common case of a Kubernetes manifest (block mappings and sequences of
//! unquoted one-line scalars), read a line at a time instead of a character
//! at a time through saphyr's scanner, tokens and events.
//!
//! Like the JSON reader (`json.rs`) it gives exactly the tree saphyr's path
//! gives (the same spans, scalars resolved by the same [`resolve`], the same
//! node count) and reads only what it is sure of: ASCII text, indentation by
//! spaces, whole-line comments, keys and values that are plain scalars on
//! one line. Anything else (quotes, flow collections, anchors, tags, block
//! scalars, empty values, a scalar that goes on over lines, every error and
//! every limit) it declines (`None`), and saphyr reads the part: errors are
//! always saphyr's.

use saphyr_parser::ScalarStyle;

use super::builder::resolve;
use super::limits::{Budget, Limits};
use super::shift::Shift;
use super::tree::{Document, Node, Span, Value};

/// YAML's longest implicit key, in characters.
const MAX_KEY: usize = 1024;

/// The one document of `text` (a part of a stream: at most a leading
/// `---`), or `None` when saphyr must read it. On success the stream's
/// budget counts the document and its nodes.
pub(super) fn read(
    text: &str,
    limits: &Limits,
    budget: &mut Budget,
    shift: Shift,
) -> Option<Document> {
    // Printable ASCII and line feeds only: tabs, CRs, non-ASCII and the
    // control characters YAML refuses (NUL, ESC, DEL...) are saphyr's.
    let plain = |b: u8| b == b'\n' || (b' '..=b'~').contains(&b);
    if !text.bytes().all(plain) || budget.documents >= limits.max_documents {
        return None;
    }
    let mut reader = Reader {
        lines: lines(text)?,
        at: 0,
        nodes: budget.nodes,
        depth: 0,
        limits,
        shift,
    };
    let first = reader.lines.first()?;
    let root = reader.node(first.indent)?;
    if reader.at != reader.lines.len() {
        return None;
    }
    budget.nodes = reader.nodes;
    budget.documents += 1;
    Some(Document { root })
}

/// One line with content: its text (no line feed), indentation, offset and number.
#[derive(Clone, Copy)]
struct Line<'t> {
    text: &'t str,
    indent: usize,
    /// Offset of the line's start (bytes are characters: the text is ASCII).
    start: usize,
    /// 1-based.
    number: u32,
}

impl<'t> Line<'t> {
    /// The text from column `col` (0-based) on.
    fn from(&self, col: usize) -> &'t str {
        self.text.get(col..).unwrap_or("")
    }
}

/// The lines with content, blank lines and whole-line comments left out; a
/// leading `---` is the document's start. `None` for a directive, a document
/// end or start marker after content, or content after a leading `---`.
fn lines(text: &str) -> Option<Vec<Line<'_>>> {
    let mut out = Vec::new();
    let (bytes, mut start) = (text.as_bytes(), 0);
    for i in 0.. {
        if start >= bytes.len() {
            break;
        }
        let end = bytes
            .get(start..)?
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |n| start + n);
        let number = u32::try_from(i + 1).ok()?;
        let line = text.get(start..end)?;
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let at = start;
        start = end + 1;
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if indent == 0 && ["---", "...", "%"].iter().any(|m| body.starts_with(m)) {
            // Only a bare `---` starting the part is read here.
            if i == 0 && out.is_empty() && line.trim_end_matches(' ') == "---" {
                continue;
            }
            return None;
        }
        out.push(Line {
            text: line,
            indent,
            start: at,
            number,
        });
    }
    Some(out)
}

struct Reader<'t, 'l> {
    lines: Vec<Line<'t>>,
    /// The next line to read.
    at: usize,
    /// Nodes counted in the stream so far, this document's included.
    nodes: usize,
    /// Collections open.
    depth: usize,
    limits: &'l Limits,
    shift: Shift,
}

impl Reader<'_, '_> {
    fn span(&self, line: &Line<'_>, col: usize) -> Span {
        self.shift.apply(Span {
            line: line.number,
            column: u32::try_from(col + 1).unwrap_or(u32::MAX),
            offset: line.start + col,
        })
    }

    fn count(&mut self) -> Option<()> {
        self.nodes = self.nodes.saturating_add(1);
        (self.nodes <= self.limits.max_nodes).then_some(())
    }

    /// The collection whose first line is the next one, at column `col`.
    fn node(&mut self, col: usize) -> Option<Node> {
        let content = self.lines.get(self.at)?.from(col);
        if is_entry(content) {
            self.seq(col, false)
        } else if key_split(content).is_some() {
            self.map(col)
        } else {
            None
        }
    }

    /// Opens a collection: counted, within the depth limit.
    fn open(&mut self) -> Option<()> {
        if self.depth >= self.limits.max_depth {
            return None;
        }
        self.depth += 1;
        self.count()
    }

    /// A block sequence whose `-` entries are at column `col`. Its span is
    /// its first `-`'s, or its first item's when the entries are as
    /// indented as the key it is the value of, as saphyr gives them.
    fn seq(&mut self, col: usize, indentless: bool) -> Option<Node> {
        let dash = self.span(self.lines.get(self.at)?, col);
        self.open()?;
        let mut items = Vec::new();
        while let Some(&line) = self.lines.get(self.at) {
            if line.indent < col {
                break;
            }
            let content = line.from(col);
            if line.indent > col || !is_entry(content) {
                // More indented than the entries: a scalar going on.
                if line.indent > col {
                    return None;
                }
                break;
            }
            let rest = content.get(1..).unwrap_or("");
            let value = rest.trim_start_matches(' ');
            let item_col = col + 1 + (rest.len() - value.len());
            let item = if value.is_empty() {
                // A first `-` alone on its line puts saphyr's span of the
                // sequence after it: left to saphyr.
                if items.is_empty() {
                    return None;
                }
                self.at += 1;
                let next = self.lines.get(self.at)?.indent;
                if next <= col {
                    return None;
                }
                self.node(next)?
            } else if is_entry(value) {
                return None;
            } else if key_split(value).is_some() {
                self.map(item_col)?
            } else {
                self.scalar_to_end(item_col, col)?
            };
            items.push(item);
        }
        self.depth -= 1;
        let span = if indentless {
            items.first()?.span
        } else {
            dash
        };
        Some(Node {
            value: Value::Seq(items),
            span,
        })
    }

    /// A block mapping whose keys are at column `col`; its first key may
    /// follow a `- ` on its line (a mapping in a sequence).
    fn map(&mut self, col: usize) -> Option<Node> {
        let span = self.span(self.lines.get(self.at)?, col);
        self.open()?;
        let mut entries = Vec::new();
        let mut first = true;
        while let Some(&line) = self.lines.get(self.at) {
            if !first && line.indent < col {
                break;
            }
            if !first && line.indent > col {
                return None;
            }
            first = false;
            let content = line.from(col);
            let (key, after) = key_split(content)?;
            let key = self.scalar(self.span(&line, col), key)?;
            let rest = content.get(after..).unwrap_or("");
            let value = rest.trim_start_matches(' ');
            let value_col = col + after + (rest.len() - value.len());
            let value = if value.is_empty() {
                self.at += 1;
                let next = self.lines.get(self.at)?;
                let (indent, content) = (next.indent, next.from(next.indent));
                if indent > col {
                    self.node(indent)?
                } else if indent == col && is_entry(content) {
                    self.seq(col, true)?
                } else {
                    // An empty value: left to saphyr, whose span it is.
                    return None;
                }
            } else {
                self.scalar_to_end(value_col, col)?
            };
            entries.push((key, value));
        }
        self.depth -= 1;
        Some(Node {
            value: Value::Map(entries),
            span,
        })
    }

    /// The plain scalar from column `at` to the end of the next line, which
    /// belongs to a collection at column `col`: no line after it may be
    /// more indented than `col` (that would go on with the scalar).
    fn scalar_to_end(&mut self, at: usize, col: usize) -> Option<Node> {
        let line = *self.lines.get(self.at)?;
        self.at += 1;
        if self.lines.get(self.at).is_some_and(|l| l.indent > col) {
            return None;
        }
        self.scalar(self.span(&line, at), line.from(at))
    }

    /// A plain scalar node of `text`, starting at `span`.
    fn scalar(&mut self, span: Span, text: &str) -> Option<Node> {
        let raw = plain(text)?;
        self.count()?;
        Some(Node {
            value: Value::Scalar {
                value: resolve(raw, ScalarStyle::Plain),
                raw: raw.to_string(),
            },
            span,
        })
    }
}

/// True for a sequence entry: `-` alone or followed by a space.
fn is_entry(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// A mapping key: the text before the first `:` that a space or the end of
/// the line follows, and the byte after that `:`.
fn key_split(content: &str) -> Option<(&str, usize)> {
    let bytes = content.as_bytes();
    let colon = bytes
        .iter()
        .enumerate()
        .position(|(i, &b)| b == b':' && bytes.get(i + 1).is_none_or(|&n| n == b' '))?;
    let key = content.get(..colon)?;
    (key.len() <= MAX_KEY && plain(key).is_some()).then_some((key, colon + 1))
}

/// A one-line plain scalar without its trailing spaces, or `None` for
/// anything YAML reads otherwise: an indicator first (quotes, flow, anchor,
/// alias, tag, block scalar, directive, comment, `?`, `:`, `-` before a
/// space), a `: ` or a final `:` (a key), a ` #` (a comment), `<<` (a
/// merge key).
fn plain(text: &str) -> Option<&str> {
    let text = text.trim_end_matches(' ');
    let (&first, rest) = text.as_bytes().split_first()?;
    let indicator = matches!(
        first,
        b'[' | b']'
            | b'{'
            | b'}'
            | b','
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
            | b'?'
            | b':'
    ) || (first == b'-' && !rest.first().is_some_and(u8::is_ascii_alphanumeric));
    if indicator || text == "<<" {
        return None;
    }
    // One pass over the bytes: `: ` and a final `:` end a key, ` #` starts a comment.
    let mut prev = first;
    for &b in rest {
        if (prev == b':' && b == b' ') || (prev == b' ' && b == b'#') {
            return None;
        }
        prev = b;
    }
    (prev != b':').then_some(text)
}
