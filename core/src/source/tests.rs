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
        (
            "a: 123456789012345678901",
            "input size in bytes exceeds the limit of 20",
        ),
        ("[[[[1]]]]", "nesting depth exceeds the limit of 3"),
        (
            "[1,2,3,4,5,6,7,8]",
            "number of nodes exceeds the limit of 8",
        ),
        (
            "[&a x, *a, *a, *a]",
            "alias expansion (nodes copied by anchors and aliases) exceeds the limit of 3",
        ),
        (
            "a\n---\nb\n---\nc",
            "number of documents exceeds the limit of 2",
        ),
        (
            "[&a abc, *a]",
            "alias expansion (bytes of text copied by anchors and aliases) exceeds the limit of 4",
        ),
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
    let mut text =
        String::from("a0: &a0 {k0: x, k1: x, k2: x, k3: x, k4: x, k5: x, k6: x, k7: x, k8: x}\n");
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

#[test]
fn json_chars_counts_what_serde_json_writes() {
    for text in [
        "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"N\": [1, -2, 1.5, 1e3, 18446744073709551615, true, false, null]}]}",
        "a: 1\na: 2\nb: {c: \"x\\ny\\t\\u0001\\\"q\\\\\", d: caf\u{e9} \u{1f600}}\n",
        "? [1, 2]\n: x\n? {k: v}\n: y\n1: one\n\"1\": again\n",
        "[]\n",
        "{}\n",
        "~\n",
        "k: \"\\u007f \\u0085 \\b \\f \\r\"\n",
    ] {
        let root = one(text);
        let written = serde_json::to_string(&root.to_json()).unwrap();
        assert_eq!(root.json_chars(), written.chars().count(), "{text:?}: {written}");
    }
    let many: String = (0..40).map(|i| format!("k{}: {i}\n", i % 30)).collect();
    let root = one(&many);
    let written = serde_json::to_string(&root.to_json()).unwrap();
    assert_eq!(root.json_chars(), written.chars().count());
}
