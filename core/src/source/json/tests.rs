//! The one-pass reader against the two-pass path it shortcuts: the same
//! tree, spans included, and the same errors (which are the two-pass path's,
//! since the reader declines whatever it would have to word), on generated
//! JSON, broken JSON and every JSON fixture of the repository.

use std::path::{Path, PathBuf};

use proptest::prelude::*;

use super::super::{
    check_size, read_json_at, read_stream, two_pass_json, two_pass_json_at, Read, Shift,
    SourceError,
};
use super::read;
use crate::source::Limits;

/// What [`read_stream`] gave before the one-pass reader.
fn two_pass(text: &str, limits: &Limits) -> Result<Vec<Read>, SourceError> {
    check_size(text, limits)?;
    two_pass_json(text, limits)
}

/// What [`read_json_at`] gave before the one-pass reader.
fn two_pass_at(text: &str, shift: Shift) -> Result<super::Document, SourceError> {
    let limits = Limits::default();
    check_size(text, &limits).map_err(|e| shift.error(e))?;
    two_pass_json_at(text, shift, &limits)
}

const SHIFT: Shift = Shift {
    lines: 3,
    chars: 41,
};

/// The same result both ways; true when the one-pass reader read it.
fn same_both_ways(text: &str) -> Result<bool, TestCaseError> {
    let limits = Limits::default();
    prop_assert_eq!(
        read_stream(text, true, &limits),
        two_pass(text, &limits),
        "{:?}",
        text
    );
    prop_assert_eq!(
        read_json_at(text, SHIFT.lines, SHIFT.chars, &limits),
        two_pass_at(text, SHIFT),
        "at: {:?}",
        text
    );
    Ok(read(text, &limits, Shift::default()).is_some())
}

fn same(text: &str) -> bool {
    same_both_ways(text).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_pretty_printed_trust_is_read_in_one_pass_with_saphyrs_spans() {
    let text = "{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {\n      \"Effect\": \"Allow\",\n      \"Action\": [\"sts:AssumeRoleWithWebIdentity\", \"sts:TagSession\"],\n      \"Condition\": {\"StringEquals\": {\"x:aud\": \"sts.amazonaws.com\"}},\n      \"N\": [1, -2.5, 1e3, 0, true, false, null, {}, []]\n    }\n  ]\n}\n";
    assert!(same(text));
    let compact = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Sid\":\"caf\u{e9} \\u00e9\\n\\\"\\/\\\\\"}]}";
    assert!(same(compact));
}

#[test]
fn what_it_leaves_to_the_two_pass_path_is_read_as_before() {
    for text in [
        "",
        "  \n",
        "{\n\t\"a\": 1\n}",
        "{\r\n  \"a\": 1\r\n}\r\n",
        "\u{feff}{\"a\": 1}",
        "{\"a\": 1}\n{\"b\": 2}\n",
        "{\"a\": 1} {\"b\": 2}",
        "{\"a\": 1,}",
        "[1, 2,]",
        "{\"a\": 01}",
        "{\"a\": 1e999}",
        "{\"a\": \"\\ud83d\\ude00\"}",
        "{\"a\": \"\\ud800\"}",
        "{\"a\": \"\u{85}\u{feff}\"}",
        "{a: 1}",
        "{'a': 1}",
        "{\"a\": 1} // note",
        "{\"a\": tru}",
        "{\"a\": nulls}",
        "[-]",
        "[1.]",
        "[\"a\" \"b\"]",
        "{\"a\" 1}",
        "{\"a\":",
        "[",
        "apiVersion: v1\nkind: ServiceAccount\n",
    ] {
        assert!(!same(text), "read in one pass: {text:?}");
    }
}

#[test]
fn limits_are_left_to_the_two_pass_path() {
    let deep = format!("{}{}", "[".repeat(129), "]".repeat(129));
    assert!(!same(&deep));
    let at_limit = format!("{}{}", "[".repeat(128), "]".repeat(128));
    assert!(same(&at_limit));
    let limits = Limits {
        max_nodes: 3,
        ..Limits::default()
    };
    assert!(read("[1, 2]", &limits, Shift::default()).is_some());
    assert!(read("[1, 2, 3]", &limits, Shift::default()).is_none());
}

#[test]
fn a_long_key_is_read_as_before() {
    let key = "k".repeat(2000);
    assert!(same(&format!("{{\"{key}\": [\"{key}\"]}}")));
}

/// Every `.json` file under `dir`, recursively.
fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_json_fixture_is_read_as_before_and_most_in_one_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "examples", "schema"] {
        json_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    let mut one_pass = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        let read = same_both_ways(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        one_pass += usize::from(read);
        // Valid JSON of one value, indented with spaces: the reader's case.
        let plain = !text.contains(['\t', '\r', '\u{feff}']) && !text.contains("\\u");
        if plain && matches!(two_pass(&text, &Limits::default()).as_deref(), Ok([Ok(_)])) {
            assert!(read, "not read in one pass: {}", path.display());
        }
    }
    assert!(one_pass * 2 > files.len(), "{one_pass} of {}", files.len());
}

/// Text between tokens: mostly what JSON writers write, sometimes what the
/// reader leaves to the two-pass path.
fn space() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just(String::new()),
        4 => Just(" ".to_string()),
        3 => Just("\n  ".to_string()),
        1 => Just("\n".to_string()),
        1 => Just("\t".to_string()),
        1 => Just("\r\n".to_string()),
    ]
}

/// A string's content, as written between the quotes.
fn string_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        8 => "[a-zA-Z0-9 :._/*$-]{0,6}",
        1 => prop::sample::select(vec![
            "é", "日本", "😀", "\u{85}", "\u{a0}", "\u{2028}", "\u{feff}", "\u{7f}", "\u{fffd}",
            "\\n", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\t", "\\u00e9", "\\u0041",
            "\\u0000", "\\u0085", "\\ud83d\\ude00", "\\uD800", "\\x", "\\u12", "'", "#", "{",
            "}", "[", "]", ",", "&a", "*a", "!Ref", "%", "@", "`", "<<", "- ", ": ", " #", "\t",
        ])
        .prop_map(str::to_string),
    ];
    prop::collection::vec(piece, 0..4).prop_map(|p| p.concat())
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => string_text().prop_map(|s| format!("\"{s}\"")),
        2 => "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,5})?([eE][+-]?[0-9]{1,3})?",
        1 => prop::sample::select(vec![
            "true", "false", "null", "True", "nul", "01", "-", "1.", ".5", "+1", "1e999", "-0",
            "0x1f", "NaN", "~", "yes",
        ])
        .prop_map(str::to_string),
    ]
}

/// A JSON text, spaced by [`space`]: valid unless a scalar or a space says otherwise.
fn value() -> impl Strategy<Value = String> {
    scalar().prop_recursive(5, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec((space(), inner.clone(), space()), 0..5).prop_map(|items| {
                let items: Vec<String> =
                    items.iter().map(|(a, v, b)| format!("{a}{v}{b}")).collect();
                format!("[{}]", items.join(","))
            }),
            prop::collection::vec((space(), string_text(), space(), inner, space()), 0..5)
                .prop_map(|entries| {
                    let entries: Vec<String> = entries
                        .iter()
                        .map(|(a, k, b, v, c)| format!("{a}\"{k}\"{b}:{c}{v}"))
                        .collect();
                    format!("{{{}}}", entries.join(", "))
                }),
        ]
    })
}

/// An edit that breaks (or not) a JSON text: a character deleted or added.
fn edited() -> impl Strategy<Value = String> {
    let add = prop::sample::select(vec![
        ",", "}", "]", "\"", ":", "/", "'", "\t", "x", " ", "\n", "\u{feff}", "{", "[", "\\",
    ]);
    (value(), any::<prop::sample::Index>(), prop::option::of(add)).prop_map(|(text, at, add)| {
        let cuts: Vec<usize> = text
            .char_indices()
            .map(|(i, _)| i)
            .chain([text.len()])
            .collect();
        let i = cuts[at.index(cuts.len())];
        match add {
            Some(s) => format!("{}{s}{}", &text[..i], &text[i..]),
            None => {
                let next = text[i..].chars().next().map_or(0, char::len_utf8);
                format!("{}{}", &text[..i], &text[i + next..])
            }
        }
    })
}

/// True when a number in `text` is beyond f64 (`1e999`): the reader leaves
/// those to the two-pass path, which reads them as strings.
fn overflows(text: &str) -> bool {
    text.split(|c: char| !(c.is_ascii_digit() || "eE.+-".contains(c)))
        .any(|n| n.parse::<f64>().is_ok_and(f64::is_infinite))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Generated JSON: the same documents or the same errors either way.
    #[test]
    fn generated_json_reads_as_before(before in space(), text in value(), after in space()) {
        same_both_ways(&format!("{before}{text}{after}"))?;
    }

    /// Broken JSON: the same errors either way.
    #[test]
    fn edited_json_reads_as_before(text in edited()) {
        same_both_ways(&text)?;
    }

    /// Plain JSON (no tab, carriage return or escape the reader declines) is read in one pass.
    #[test]
    fn plain_json_is_read_in_one_pass(text in value()) {
        let plain = !text.contains(['\t', '\r', '\u{feff}', '\u{85}', '\u{7f}'])
            && !text.contains("\\ud") && !text.contains("\\uD");
        let valid = serde_json::from_str::<serde::de::IgnoredAny>(&text).is_ok();
        let read = same_both_ways(&text)?;
        if plain && valid && !overflows(&text) {
            prop_assert!(read, "not read in one pass: {:?}", text);
        }
    }
}

/// The keys written twice under a node, counted with a set per mapping: the
/// reference [`super::Node::duplicate_keys`] (with its walk that looks first) is held to.
fn keys_written_twice(node: &super::Node) -> usize {
    match &node.value {
        super::Value::Scalar { .. } => 0,
        super::Value::Seq(items) => items.iter().map(keys_written_twice).sum(),
        super::Value::Map(entries) => {
            let mut seen = std::collections::HashSet::new();
            entries
                .iter()
                .map(|(k, v)| usize::from(!seen.insert(k.key_text())) + keys_written_twice(v))
                .sum()
        }
    }
}

/// A document's minified length (IRSA013) is serde_json's compact text of
/// it in characters, a key written twice kept once with its last value; its
/// keys written twice are all found.
fn compact_length_holds(text: &str) -> Result<(), TestCaseError> {
    let Ok(docs) = crate::source::parse_documents(text, &Limits::default()) else {
        return Ok(());
    };
    for d in &docs {
        let compact = serde_json::to_string(&d.root.to_json()).unwrap_or_default();
        prop_assert_eq!(d.root.json_chars(), compact.chars().count(), "{:?}", text);
        prop_assert_eq!(
            d.root.duplicate_keys().len(),
            keys_written_twice(&d.root),
            "{:?}",
            text
        );
    }
    Ok(())
}

#[test]
fn every_json_fixture_has_its_compact_length() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for dir in ["tests/fixtures", "examples", "schema"] {
        json_files(&root.join(dir), &mut files);
    }
    assert!(files.len() > 100, "{} files", files.len());
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        compact_length_holds(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

/// A JSON value of a policy's shape with keys written twice: objects,
/// arrays, strings with escapes and non-ASCII, numbers.
fn with_duplicates() -> impl Strategy<Value = String> {
    let leaf = prop_oneof![
        "[a-zA-Z0-9:/*.${}<> \\\\\"\u{1b}\t\u{7f}\u{e9}\u{e000}\u{1f600}-]{0,12}"
            .prop_map(|s| serde_json::to_string(&s).unwrap_or_default()),
        Just("true".to_string()),
        Just("null".to_string()),
        Just("-1.5e3".to_string()),
        Just("\"\\u00e9\\/\"".to_string()),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..5)
                .prop_map(|v| format!("[{}]", v.join(", "))),
            proptest::collection::vec(("(a|b|Effect|Action|c\u{e9})", inner), 0..20).prop_map(
                |v| {
                    let entries: Vec<String> =
                        v.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
                    format!("{{\n  {}\n}}", entries.join(",\n  "))
                }
            ),
        ]
    })
}

proptest! {
    #[test]
    fn generated_json_has_its_compact_length(text in value(), dup in with_duplicates()) {
        compact_length_holds(&text)?;
        compact_length_holds(&dup)?;
    }

    #[test]
    fn plain_runs_stop_where_a_byte_needs_more(s in "[ -~\u{0}-\u{1f}\u{7f}\u{e9}]{0,40}") {
        let plain = |b: &u8| (0x20..0x7f).contains(b) && *b != b'"' && *b != b'\\';
        prop_assert_eq!(super::super::tree::plain_json_run(s.as_bytes()), s.bytes().take_while(plain).count());
    }
}
