//! serde straight from a located document: a [`Node`] deserializes into a
//! type, and says which fields the type ignored and at which node it failed,
//! each with its path and position. The spec loader reads the spec through it
//! (an ignored field is SPEC003, a failure SPEC002), with no JSON in between.
//!
//! A node reads exactly as `serde_json` reads the node's JSON
//! ([`Node::to_json`]): the same visits, the same messages (the error type is
//! `serde_json::Error`), a mapping seen as a JSON object (one entry per key
//! text: [`Node::json_entries`]). So the spec's lenient reading (a bare number
//! where text is meant, a struct written as a list) stays what it was when the
//! spec went through JSON. Every node is visited once: the work is linear in
//! the document.

use std::borrow::Cow;
use std::cell::Cell;

use serde::de::value::CowStrDeserializer;
use serde::de::{self, Deserialize, DeserializeSeed, Error as _, Unexpected, Visitor};

use crate::source::{FieldPath, JsonEntry, Node, Scalar, Span, Value};

type Error = serde_json::Error;

/// A place in a document: its path and where it is written (a mapping
/// entry's value, or its key when the value is empty; a sequence's item).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    /// `bindings[0].roleNmae`.
    pub path: FieldPath,
    /// The position.
    pub span: Span,
}

/// What [`from_node`] made of a node.
#[derive(Debug)]
pub struct Read<T> {
    /// The value, or serde's message and the innermost node at fault.
    pub value: Result<T, (String, Place)>,
    /// The mapping entries the type ignored (unknown fields), in document order.
    pub ignored: Vec<Place>,
}

/// Deserializes `root` into `T`.
pub fn from_node<'n, T: Deserialize<'n>>(root: &'n Node) -> Read<T> {
    let track = Track::default();
    let de = NodeDe {
        node: root,
        at: root.span,
        chain: Chain::Root,
        track: &track,
    };
    let value = T::deserialize(de).map_err(|e| {
        track.fail(&Chain::Root, root.span);
        let at = track.failure.take().unwrap_or(Place {
            path: FieldPath::root(),
            span: root.span,
        });
        (e.to_string(), at)
    });
    Read {
        value,
        ignored: track.ignored.take(),
    }
}

/// The path to the node being read, as a chain of its ancestors' steps.
#[derive(Clone, Copy)]
enum Chain<'a> {
    Root,
    Key(&'a Chain<'a>, &'a str),
    Index(&'a Chain<'a>, usize),
}

impl Chain<'_> {
    fn path(&self) -> FieldPath {
        match self {
            Chain::Root => FieldPath::root(),
            Chain::Key(parent, key) => parent.path().key(key),
            Chain::Index(parent, i) => parent.path().index(*i),
        }
    }
}

/// What a read found: the ignored entries and the first (innermost) failure.
#[derive(Default)]
struct Track {
    ignored: Cell<Vec<Place>>,
    failure: Cell<Option<Place>>,
}

impl Track {
    /// Notes a failure at a node unless an inner one was noted already.
    fn fail(&self, chain: &Chain<'_>, span: Span) {
        let inner = self.failure.take();
        self.failure.set(inner.or_else(|| {
            Some(Place {
                path: chain.path(),
                span,
            })
        }));
    }

    fn ignore(&self, chain: &Chain<'_>, span: Span) {
        let mut ignored = self.ignored.take();
        ignored.push(Place {
            path: chain.path(),
            span,
        });
        self.ignored.set(ignored);
    }
}

/// Where a mapping entry is reported: its value, or its key when the value is empty.
fn entry_span(key: &Node, value: &Node) -> Span {
    if value.is_null() {
        key.span
    } else {
        value.span
    }
}

/// A node being read, with its path and where it is reported.
struct NodeDe<'n, 'a> {
    node: &'n Node,
    at: Span,
    chain: Chain<'a>,
    track: &'a Track,
}

fn unexpected(node: &Node) -> Unexpected<'_> {
    match &node.value {
        Value::Scalar { value, raw } => match value {
            Scalar::Null => Unexpected::Unit,
            Scalar::Bool(b) => Unexpected::Bool(*b),
            Scalar::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Unexpected::Unsigned(u),
                (None, Some(i)) => Unexpected::Signed(i),
                (None, None) => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Scalar::Str => Unexpected::Str(raw),
        },
        Value::Seq(_) => Unexpected::Seq,
        Value::Map(_) => Unexpected::Map,
    }
}

fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, Error> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => visitor.visit_u64(u),
        (None, Some(i)) => visitor.visit_i64(i),
        (None, None) => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
    }
}

impl<'n, 'a> NodeDe<'n, 'a> {
    fn invalid<'de, V: Visitor<'de>>(&self, visitor: &V) -> Error {
        Error::invalid_type(unexpected(self.node), visitor)
    }

    fn text(&self) -> Option<&'n str> {
        match &self.node.value {
            Value::Scalar {
                value: Scalar::Str,
                raw,
            } => Some(raw),
            _ => None,
        }
    }

    fn visit_seq<V: Visitor<'n>>(self, items: &'n [Node], visitor: V) -> Result<V::Value, Error> {
        let mut access = Items {
            items: items.iter(),
            index: 0,
            chain: &self.chain,
            track: self.track,
        };
        let value = visitor.visit_seq(&mut access)?;
        match access.items.len() {
            0 => Ok(value),
            _ => Err(Error::invalid_length(
                items.len(),
                &"fewer elements in array",
            )),
        }
    }

    fn visit_map<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        let entries = self.node.json_entries();
        let len = entries.len();
        let mut access = Entries {
            entries: entries.into_iter(),
            pending: None,
            chain: &self.chain,
            track: self.track,
        };
        let value = visitor.visit_map(&mut access)?;
        match access.entries.len() {
            0 => Ok(value),
            _ => Err(Error::invalid_length(len, &"fewer elements in map")),
        }
    }
}

/// serde_json's forms for the methods that take one kind of node.
macro_rules! deserialize_number {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
            match &self.node.value {
                Value::Scalar { value: Scalar::Number(n), .. } => visit_number(n, visitor),
                _ => Err(self.invalid(&visitor)),
            }
        }
    )*};
}

macro_rules! deserialize_text {
    ($($method:ident)*) => {$(
        fn $method<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
            match self.text() {
                Some(s) => visitor.visit_borrowed_str(s),
                None => Err(self.invalid(&visitor)),
            }
        }
    )*};
}

impl<'n> de::Deserializer<'n> for NodeDe<'n, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Scalar { value, raw } => match value {
                Scalar::Null => visitor.visit_unit(),
                Scalar::Bool(b) => visitor.visit_bool(*b),
                Scalar::Number(n) => visit_number(n, visitor),
                Scalar::Str => visitor.visit_borrowed_str(raw),
            },
            Value::Seq(items) => self.visit_seq(items, visitor),
            Value::Map(_) => self.visit_map(visitor),
        }
    }

    deserialize_number!(deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_i128 deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
        deserialize_u128 deserialize_f32 deserialize_f64);

    deserialize_text!(deserialize_char deserialize_str deserialize_string deserialize_identifier);

    fn deserialize_bool<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Scalar {
                value: Scalar::Bool(b),
                ..
            } => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_bytes<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_byte_buf(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match (&self.node.value, self.text()) {
            (_, Some(s)) => visitor.visit_borrowed_str(s),
            (Value::Seq(items), None) => self.visit_seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_option<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.node.is_null() {
            visitor.visit_unit()
        } else {
            Err(self.invalid(&visitor))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Seq(items) => self.visit_seq(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_tuple<V: Visitor<'n>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.node.value {
            Value::Map(_) => self.visit_map(visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_struct<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.node.value {
            // serde reads a struct from a list too, field by field.
            Value::Seq(items) => self.visit_seq(items, visitor),
            Value::Map(_) => self.visit_map(visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'n>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        let (variant, value) = match (&self.node.value, self.text()) {
            (_, Some(s)) => (Cow::Borrowed(s), None),
            (Value::Map(_), None) => {
                let mut entries = self.node.json_entries().into_iter();
                match (entries.next(), entries.next()) {
                    (Some(entry), None) => (entry.key, Some((entry.key_node, entry.value))),
                    _ => {
                        return Err(Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ))
                    }
                }
            }
            _ => return Err(Error::invalid_type(unexpected(self.node), &"string or map")),
        };
        visitor.visit_enum(Variant {
            variant,
            value,
            chain: self.chain,
            track: self.track,
        })
    }

    /// An ignored value: an unknown field, when it is a mapping's entry.
    fn deserialize_ignored_any<V: Visitor<'n>>(self, visitor: V) -> Result<V::Value, Error> {
        self.track.ignore(&self.chain, self.at);
        visitor.visit_unit()
    }
}

/// A sequence's items, each read at its index.
struct Items<'n, 'a> {
    items: std::slice::Iter<'n, Node>,
    index: usize,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'n> de::SeqAccess<'n> for Items<'n, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'n>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some(item) = self.items.next() else {
            return Ok(None);
        };
        let chain = Chain::Index(self.chain, self.index);
        self.index += 1;
        let de = NodeDe {
            node: item,
            at: item.span,
            chain,
            track: self.track,
        };
        seed.deserialize(de)
            .map(Some)
            .inspect_err(|_| self.track.fail(&chain, item.span))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

/// A mapping's entries, each value read under its key.
struct Entries<'n, 'a> {
    entries: std::vec::IntoIter<JsonEntry<'n>>,
    pending: Option<JsonEntry<'n>>,
    chain: &'a Chain<'a>,
    track: &'a Track,
}

impl<'n> de::MapAccess<'n> for Entries<'n, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'n>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        let key = seed.deserialize(CowStrDeserializer::new(entry.key.clone()));
        let key = key.inspect_err(|_| {
            self.track
                .fail(&Chain::Key(self.chain, &entry.key), entry.key_node.span);
        })?;
        self.pending = Some(entry);
        Ok(Some(key))
    }

    fn next_value_seed<T: DeserializeSeed<'n>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let Some(entry) = self.pending.take() else {
            return Err(Error::custom("value is missing"));
        };
        let chain = Chain::Key(self.chain, &entry.key);
        let at = entry_span(entry.key_node, entry.value);
        let de = NodeDe {
            node: entry.value,
            at,
            chain,
            track: self.track,
        };
        seed.deserialize(de).inspect_err(|_| {
            self.track.fail(&chain, at);
        })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len())
    }
}

/// An enum: a string (a unit variant) or a mapping of one entry (variant: content).
struct Variant<'n, 'a> {
    variant: Cow<'n, str>,
    value: Option<(&'n Node, &'n Node)>,
    chain: Chain<'a>,
    track: &'a Track,
}

impl<'n, 'a> de::EnumAccess<'n> for Variant<'n, 'a> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<V: DeserializeSeed<'n>>(self, seed: V) -> Result<(V::Value, Self), Error> {
        let variant = seed.deserialize(CowStrDeserializer::new(self.variant.clone()))?;
        Ok((variant, self))
    }
}

impl<'n> Variant<'n, '_> {
    /// Reads the variant's content, at the path `enum.variant`.
    fn content<T>(
        self,
        expected: &'static str,
        read: impl FnOnce(NodeDe<'n, '_>) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let Some((key, value)) = self.value else {
            return Err(Error::invalid_type(Unexpected::UnitVariant, &expected));
        };
        let chain = Chain::Key(&self.chain, &self.variant);
        let at = entry_span(key, value);
        let de = NodeDe {
            node: value,
            at,
            chain,
            track: self.track,
        };
        read(de).inspect_err(|_| {
            self.track.fail(&chain, at);
        })
    }
}

impl<'n> de::VariantAccess<'n> for Variant<'n, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None => Ok(()),
            Some(_) => self.content("unit variant", |de| <()>::deserialize(de)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'n>>(self, seed: T) -> Result<T::Value, Error> {
        self.content("newtype variant", |de| seed.deserialize(de))
    }

    fn tuple_variant<V: Visitor<'n>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.content("tuple variant", |de| match &de.node.value {
            Value::Seq(items) => de.visit_seq(items, visitor),
            _ => Err(Error::invalid_type(unexpected(de.node), &"tuple variant")),
        })
    }

    fn struct_variant<V: Visitor<'n>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.content("struct variant", |de| match &de.node.value {
            Value::Map(_) => de.visit_map(visitor),
            _ => Err(Error::invalid_type(unexpected(de.node), &"struct variant")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_documents, Limits};
    use crate::spec::Spec;
    use proptest::prelude::*;

    fn root(text: &str) -> Node {
        let docs = parse_documents(text, &Limits::default()).unwrap();
        docs.into_iter().next().unwrap().root
    }

    /// What the node's JSON gives, read by serde_json itself.
    fn through_json(node: &Node) -> Result<Spec, String> {
        serde_json::from_value(node.to_json()).map_err(|e| e.to_string())
    }

    #[test]
    fn unknown_fields_and_failures_are_placed() {
        let node = root("region: x\nbindings:\n  - roleNmae: a\n    workload: {replicas: [1]}\n");
        let read = from_node::<Spec>(&node);
        let (message, at) = read.value.unwrap_err();
        assert_eq!(
            message,
            "invalid type: sequence, expected a string, number or boolean"
        );
        assert_eq!(at.path.to_string(), "bindings[0].workload.replicas");
        assert_eq!((at.span.line, at.span.column), (4, 26));
        let ignored = &read.ignored;
        assert_eq!(ignored.len(), 1);
        assert_eq!(ignored[0].path.to_string(), "bindings[0].roleNmae");
        assert_eq!((ignored[0].span.line, ignored[0].span.column), (3, 15));
    }

    #[test]
    fn a_struct_reads_from_a_list_and_an_enum_from_a_mapping() {
        let node = root("identityType: {pod-identity: ~}\nbindings: [{workload: [web, nginx]}]\n");
        let spec: Spec = from_node(&node).value.unwrap();
        assert_eq!(spec, through_json(&node).unwrap());
        let node = root("identityType: {irsa: 5}\n");
        let (message, at) = from_node::<Spec>(&node).value.unwrap_err();
        assert_eq!(message, "invalid type: integer `5`, expected unit");
        assert_eq!(at.path.to_string(), "identityType.irsa");
    }

    fn scalar() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "~", "yes", "012", "-5", "1.5", "1e400", "x", "\"1\"", "irsa", "read",
        ])
        .prop_map(str::to_string)
    }

    fn tree() -> impl Strategy<Value = String> {
        let keys = prop::sample::select(vec![
            "accountId",
            "bindings",
            "namespace",
            "serviceAccount",
            "tags",
            "workload",
            "permissions",
            "s3",
            "access",
            "statements",
            "identityType",
            "replicas",
            "x",
        ]);
        scalar().prop_recursive(4, 40, 5, move |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4)
                    .prop_map(|items| format!("[{}]", items.join(", "))),
                prop::collection::vec((keys.clone(), inner), 0..5).prop_map(|entries| {
                    let entries: Vec<String> =
                        entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
                    format!("{{{}}}", entries.join(", "))
                }),
            ]
        })
    }

    proptest! {
        /// The same spec, or the same message, as serde_json reading the node's JSON.
        #[test]
        fn reads_as_serde_json_reads_the_json(text in tree()) {
            let node = root(&text);
            let direct = from_node::<Spec>(&node).value.map_err(|(m, _)| m);
            prop_assert_eq!(direct, through_json(&node));
        }
    }
}
