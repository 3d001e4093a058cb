//! The YAML writer: any JSON value -> `yaml::to_string` -> `source::parse_documents`
//! gives the same value back.
#![no_main]

use arbitrary::Arbitrary;
use irsa_core::source::{self, Limits};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Number, Value};

#[derive(Debug, Arbitrary)]
enum Json {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

fn to_value(j: Json, depth: usize) -> Value {
    match j {
        Json::Null => Value::Null,
        Json::Bool(b) => Value::Bool(b),
        Json::Int(i) => Value::Number(i.into()),
        Json::UInt(u) => Value::Number(u.into()),
        Json::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        Json::Str(s) => Value::String(s),
        Json::Array(items) if depth < 64 => {
            Value::Array(items.into_iter().map(|i| to_value(i, depth + 1)).collect())
        }
        Json::Object(entries) if depth < 64 => Value::Object(
            entries
                .into_iter()
                .map(|(k, v)| (k, to_value(v, depth + 1)))
                .collect::<Map<_, _>>(),
        ),
        Json::Array(_) | Json::Object(_) => Value::Null,
    }
}

fuzz_target!(|input: Json| {
    let value = to_value(input, 0);
    let text = irsa_core::yaml::to_string(&value);
    let docs = source::parse_documents(&text, &Limits::default())
        .unwrap_or_else(|e| panic!("writer output does not parse: {e}\n{text}"));
    let back: Vec<_> = docs.iter().map(|d| d.root.to_json()).collect();
    assert_eq!(back, vec![value], "read back differently:\n{text}");
});
