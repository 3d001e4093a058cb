//! The tree built from saphyr-parser's events: each node with its span,
//! aliases expanded within the budget, merge keys resolved as Kubernetes'
//! reader does, plain scalars typed as YAML 1.1 and 1.2 readers agree.

use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::limits::{Budget, Limits, SourceError};
use super::shift::Shift;
use super::tree::{Document, Node, Scalar, Span, Value};

/// Parses one part of a stream, counting against the stream's budget.
pub(super) fn parse_chunk(
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

pub(super) fn feed(builder: &mut Builder<'_>, text: &str, shift: Shift) -> Result<(), SourceError> {
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

pub(super) struct Builder<'l> {
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
pub(super) struct Weight {
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

pub(super) enum Open {
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
pub(super) fn intrinsic_of(tag: Option<&saphyr_parser::Tag>) -> Option<&'static str> {
    let tag = tag?;
    (tag.handle == "!")
        .then(|| crate::short_tags::long_form(&tag.suffix))
        .flatten()
}

/// `node` as `{long: node}` when it carried an intrinsic tag.
pub(super) fn wrap(node: Node, intrinsic: Option<&'static str>, size: &mut Weight) -> Node {
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
pub(super) fn merge_keys(
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
pub(super) fn key_identity(key: &Node) -> String {
    match &key.value {
        Value::Scalar {
            value: Scalar::Str,
            raw,
        } => format!("s{raw}"),
        _ => format!("v{}", key.to_json()),
    }
}

pub(super) fn not_mergeable(span: Span) -> SourceError {
    SourceError::Syntax {
        message: "a merge key (`<<`) takes a mapping or a list of mappings".into(),
        span,
    }
}

pub(super) fn resolve(text: &str, style: ScalarStyle) -> Scalar {
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
pub(super) fn looks_numeric(text: &str) -> bool {
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
