//! A YAML writer for JSON values that every YAML reader reads back the same.
//!
//! Why not serde_yaml_ng's emitter: it quotes only what YAML 1.2 would misread,
//! but Kubernetes reads YAML with YAML 1.1 rules, where `no`, `on`, `y`,
//! `1_000`, `12:30` and `2012-10-17` are not strings. A namespace or service
//! account may legally be called `no` or `on`. So a string is written plain
//! only when it is unambiguous under both versions; otherwise double-quoted
//! (with every non-printable character escaped), or as a literal block when it
//! spans lines. The layout follows `kubectl get -o yaml`: two-space indent,
//! sequences at the indentation of their key.

use serde_json::Value;

/// Renders one document (no leading `---`), ending in a newline.
pub fn to_string(value: &Value) -> String {
    let mut out = String::with_capacity(1024);
    match value {
        Value::Object(map) if !map.is_empty() => write_map(&mut out, map, 0),
        Value::Array(items) if !items.is_empty() => write_seq(&mut out, items, 0),
        scalar => {
            push_scalar(&mut out, scalar, 2);
            out.push('\n');
        }
    }
    out
}

/// Renders several documents separated by `---`.
pub fn to_string_multi(values: &[Value]) -> String {
    values
        .iter()
        .map(to_string)
        .collect::<Vec<_>>()
        .join("---\n")
}

fn indent(out: &mut String, n: usize) {
    // Whole runs of spaces, not one `char` at a time (every line starts here).
    const SPACES: &str = "                                                                ";
    let mut left = n;
    while left > 0 {
        let run = left.min(SPACES.len());
        out.push_str(SPACES.get(..run).unwrap_or_default());
        left -= run;
    }
}

fn write_map(out: &mut String, map: &serde_json::Map<String, Value>, level: usize) {
    for (i, (key, value)) in map.iter().enumerate() {
        // The first entry of a map inside a sequence item follows the "- ".
        if i > 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        if key.len() < MAX_IMPLICIT_KEY && is_safe_plain(key) {
            // The common key, written as it is without a copy.
            out.push_str(key);
            out.push(':');
            write_value_after_key(out, value, level);
            continue;
        }
        let key = key_text(key);
        if key.len() < MAX_IMPLICIT_KEY {
            out.push_str(&key);
            out.push(':');
            write_value_after_key(out, value, level);
        } else {
            // Readers stop an implicit key at 1024 characters: say `? key`.
            out.push_str("? ");
            out.push_str(&key);
            out.push('\n');
            indent(out, level);
            out.push(':');
            match value {
                Value::Array(items) if !items.is_empty() => {
                    out.push('\n');
                    write_seq(out, items, level + 2);
                }
                _ => write_value_after_key(out, value, level),
            }
        }
    }
}

/// YAML allows an implicit (`key: value`) key of at most 1024 characters,
/// which libyaml (serde_yaml_ng, PyYAML) counts in bytes; longer keys, in
/// bytes with a margin, are written explicitly (`? key`).
const MAX_IMPLICIT_KEY: usize = 1000;

fn write_value_after_key(out: &mut String, value: &Value, level: usize) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            out.push('\n');
            write_map(out, map, level + 2);
        }
        Value::Array(items) if !items.is_empty() => {
            out.push('\n');
            write_seq(out, items, level);
        }
        scalar => {
            out.push(' ');
            push_scalar(out, scalar, level + 2);
            out.push('\n');
        }
    }
}

fn write_seq(out: &mut String, items: &[Value], level: usize) {
    for item in items {
        if !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str("- ");
        match item {
            Value::Object(map) if !map.is_empty() => write_map(out, map, level + 2),
            Value::Array(inner) if !inner.is_empty() => write_seq(out, inner, level + 2),
            scalar => {
                push_scalar(out, scalar, level + 2);
                out.push('\n');
            }
        }
    }
}

/// A scalar (or empty collection) on the current line; `block_indent` is the
/// indentation of a literal block's content. Pushed straight onto `out`: a
/// manifest has thousands of scalars, and a copy of each was a third of the
/// writer's allocations.
fn push_scalar(out: &mut String, value: &Value, block_indent: usize) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) if is_safe_plain(s) => out.push_str(s),
        Value::String(s) => out.push_str(&string_text(s, block_indent)),
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
    }
}

fn key_text(key: &str) -> String {
    if is_safe_plain(key) {
        key.to_string()
    } else {
        double_quoted(key)
    }
}

fn string_text(s: &str, block_indent: usize) -> String {
    if is_safe_plain(s) {
        return s.to_string();
    }
    if let Some(block) = literal_block(s, block_indent) {
        return block;
    }
    double_quoted(s)
}

/// True when `s` reads back as the same string, written plain, under YAML 1.1
/// and 1.2 alike. Deliberately conservative: anything doubtful is quoted.
pub fn is_safe_plain(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if !(first.is_ascii_alphabetic() || first == '/' || first == '_') {
        // Digits, signs and dots may start numbers, dates and times; other
        // punctuation may be an indicator (`-`, `*`, `&`, `!`, `%`, `@`, ...).
        return false;
    }
    // One pass over the bytes: only these characters, and no `: ` or ` #`.
    let mut prev = 0u8;
    for b in s.bytes() {
        let allowed = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b' ' | b'-'
                    | b'_'
                    | b'.'
                    | b'/'
                    | b':'
                    | b'@'
                    | b'+'
                    | b'='
                    | b','
                    | b'*'
                    | b'('
                    | b')'
                    | b'~'
            );
        if !allowed || (prev == b':' && b == b' ') || (prev == b' ' && b == b'#') {
            return false;
        }
        prev = b;
    }
    !s.ends_with([' ', ':']) && !is_special_word(s)
}

/// Words that YAML 1.1 or 1.2 reads as booleans or null (`y`/`n` included: YAML 1.1 says so).
fn is_special_word(s: &str) -> bool {
    matches!(
        s,
        "y" | "Y"
            | "yes"
            | "Yes"
            | "YES"
            | "n"
            | "N"
            | "no"
            | "No"
            | "NO"
            | "true"
            | "True"
            | "TRUE"
            | "false"
            | "False"
            | "FALSE"
            | "on"
            | "On"
            | "ON"
            | "off"
            | "Off"
            | "OFF"
            | "null"
            | "Null"
            | "NULL"
    )
}

/// A literal block (`|`) for multi-line text, when it can hold the text exactly.
fn literal_block(s: &str, block_indent: usize) -> Option<String> {
    let printable = |c: char| {
        c == '\n'
            || (is_printable(c)
                && !matches!(
                    c,
                    '\t' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}'
                ))
    };
    // Readers disagree on whitespace at the edges of block lines: keep those quoted.
    let clean_lines = s
        .split('\n')
        .all(|l| !l.starts_with(' ') && !l.ends_with(' '));
    if !s.contains('\n') || s.starts_with('\n') || !clean_lines || !s.chars().all(printable) {
        return None;
    }
    let trailing = s.len() - s.trim_end_matches('\n').len();
    let chomp = match trailing {
        0 => "-",
        1 => "",
        _ => "+",
    };
    let mut lines: Vec<&str> = s.split('\n').collect();
    if trailing > 0 {
        lines.pop(); // the empty piece after the last line break
    }
    let mut out = format!("|{chomp}");
    for line in lines {
        out.push('\n');
        if !line.is_empty() {
            indent(&mut out, block_indent);
            out.push_str(line);
        }
    }
    Some(out)
}

/// YAML's printable characters (outside them, a character must be escaped).
fn is_printable(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7e}' | '\u{85}' | '\u{a0}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// A double-quoted scalar; every character a YAML 1.1 reader could fold or
/// reject (line breaks, NEL, LS, PS, BOM, controls) is escaped.
pub fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\u{85}' | '\u{2028}' | '\u{2029}' | '\u{feff}' => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c if !is_printable(c) || c.is_control() => {
                out.push_str(&format!("\\u{:04X}", u32::from(c)))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn kubectl_layout() {
        let doc = json!({
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {"name": "p", "annotations": {"eks.amazonaws.com/token-expiration": "86400"}},
            "spec": {"containers": [{"name": "c", "args": ["sts", "get-caller-identity"], "env": [{"name": "A", "value": "b"}]}], "volumes": []}
        });
        let want = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n    eks.amazonaws.com/token-expiration: \"86400\"\nspec:\n  containers:\n  - name: c\n    args:\n    - sts\n    - get-caller-identity\n    env:\n    - name: A\n      value: b\n  volumes: []\n";
        assert_eq!(to_string(&doc), want);
    }

    #[test]
    fn yaml_1_1_words_are_quoted() {
        for s in [
            "no",
            "on",
            "y",
            "N",
            "yes",
            "off",
            "null",
            "~",
            "1_000",
            "12:30",
            "2012-10-17",
            "010",
            "0x1F",
            ".5",
            "+1",
            "-",
            "*a",
            "&a",
            "a: b",
            "a #b",
            "a:",
            " a",
            "",
            "=",
            "<<",
        ] {
            assert!(!is_safe_plain(s), "{s:?} must be quoted");
        }
        for s in [
            "production",
            "s3-writer",
            "my-app:latest",
            "arn:aws:iam::111122223333:role/x",
            "arn:aws:s3:::b/*",
            "eks.amazonaws.com/role-arn",
            "Hello world",
        ] {
            assert!(is_safe_plain(s), "{s:?} may be plain");
        }
    }

    #[test]
    fn multi_line_text_is_a_literal_block() {
        let doc = json!({"spec": {"spicepod": "name: x\nkind: Spicepod\n"}});
        assert_eq!(
            to_string(&doc),
            "spec:\n  spicepod: |\n    name: x\n    kind: Spicepod\n"
        );
        let doc = json!({"a": "x\n\ny"});
        assert_eq!(to_string(&doc), "a: |-\n  x\n\n  y\n");
    }

    #[test]
    fn escapes() {
        assert_eq!(
            double_quoted("a\"b\\c\u{2028}\u{1}"),
            "\"a\\\"b\\\\c\\u2028\\u0001\""
        );
    }
}
