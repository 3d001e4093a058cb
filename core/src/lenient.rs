//! Scalars read as text, as YAML users write them: `accountId: 123456789012`,
//! `replicas: 2`, `enabled: true` are strings to the spec. Shared by the
//! spec's fields and the add-on entries (`addons::AddonGrant`).

use indexmap::IndexMap;
use serde::{Deserialize, Deserializer};

/// A version is text: YAML reads `1.10` as the number 1.1, so a bare number is refused.
pub(crate) fn version_text<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    match Option::<Lenient>::deserialize(d)? {
        Some(Lenient(v, false)) => Ok(Some(v)),
        Some(Lenient(v, true)) => Err(serde::de::Error::custom(format!(
            "quote the version (version: \"1.10\"): YAML read this bare one as the number {v}, and reads 1.10 as 1.1"
        ))),
        None => Ok(None),
    }
}

/// A scalar read as text: YAML users write `accountId: 123456789012` and `replicas: 2`.
pub(crate) fn lenient_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<Lenient>::deserialize(d)?.map(|l| l.0))
}

pub(crate) fn lenient_map<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<IndexMap<String, String>, D::Error> {
    let map = Option::<IndexMap<String, Lenient>>::deserialize(d)?.unwrap_or_default();
    Ok(map.into_iter().map(|(k, v)| (k, v.0)).collect())
}

/// A string, number or boolean, kept as its text.
/// The text, and whether it was written as a number or boolean rather than a string.
pub(crate) struct Lenient(pub(crate) String, pub(crate) bool);

impl<'de> Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Lenient;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string, number or boolean")
            }
            fn visit_str<E>(self, v: &str) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), false))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Lenient, E> {
                Ok(Lenient(v.to_string(), true))
            }
        }
        d.deserialize_any(V)
    }
}
