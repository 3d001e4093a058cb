//! The one-pass block reader against saphyr's path: on every YAML file of the
//! repository, the same files with a line taken out or moved, texts written
//! to sit on its edges and texts made of random pieces and lines (fixed
//! seeds), whatever it reads is exactly what saphyr reads (tree, spans, node
//! count), and it reads the common manifest.

use super::block;
use super::block_agree::block_reader_agrees;
use super::limits::{Budget, Limits};
use super::Shift;

/// Both readers on every part of `text`: how many the block reader read.
fn same(text: &str, limits: &Limits) -> usize {
    block_reader_agrees(text, limits).unwrap_or_else(|e| panic!("{e}"))
}

fn yaml_files(dir: &std::path::Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p
            .extension()
            .is_some_and(|x| x == "yaml" || x == "yml" || x == "tpl")
        {
            if let Ok(t) = std::fs::read_to_string(&p) {
                out.push(t);
            }
        }
    }
}

/// Every line of `text` taken out, then indented one space more and one less.
fn variants(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for i in 0..lines.len().min(80) {
        let with = |line: Option<String>| {
            let mut v: Vec<String> = lines.iter().map(|l| (*l).to_string()).collect();
            match line {
                Some(l) => v[i] = l,
                None => {
                    v.remove(i);
                }
            }
            v.join("\n") + "\n"
        };
        out.push(with(None));
        out.push(with(Some(format!(" {}", lines[i]))));
        out.push(with(Some(
            lines[i].strip_prefix(' ').unwrap_or(lines[i]).to_string(),
        )));
        out.push(with(Some(format!("{} #c", lines[i]))));
        out.push(with(Some(format!("{}:", lines[i]))));
    }
    out
}

#[test]
fn reads_what_saphyr_reads_in_every_yaml_file_of_the_repository() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut texts = Vec::new();
    for dir in ["tests/fixtures", "examples", "core", "charts", "deploy"] {
        yaml_files(&root.join(dir), &mut texts);
    }
    assert!(texts.len() > 100, "{} YAML files", texts.len());
    let limits = Limits::default();
    let (mut read, mut mutated) = (0, 0);
    for t in &texts {
        read += same(t, &limits);
        for v in variants(t) {
            mutated += same(&v, &limits);
        }
    }
    assert!(read > 50, "the block reader read {read} documents");
    assert!(mutated > 500, "and {mutated} changed ones");
}

#[test]
fn reads_what_saphyr_reads_on_the_edges() {
    let texts = [
        "a: b\n",
        "---\na: b\n",
        "--- \na: 1\nb: -1\nc: 1.5\nd: yes\ne: null\nf: ~\ng: 0x1f\nh: 1e3\n",
        "a:\n  b: c\n  d:\n  - e\n  - f: g\n    h: i\n  j: k\n",
        "a:\n- b\n- c\nd: e\n",
        "- a\n- b: c\n  d: e\n-   f: g\n-\n  h: i\n",
        "  a: b\n  c: d\n",
        "a: b:c\nd: http://x:80/y\ne: f#g\nh: i,j [k] {l}\n",
        "a: b  \nc : d\n",
        "# top\na: b # c\n",
        "a: b\n  # deeper comment\nc: d\n",
        "a: b\n  c\n",
        "a:\n  b\n",
        "a: 'b'\n",
        "a: \"b\"\n",
        "a: &x b\nc: *x\n",
        "<<: {a: b}\n",
        "a: !Ref b\n",
        "a: |\n  b\n",
        "a: b: c\n",
        "a:\n",
        "a:\nb: c\n",
        "- - a\n",
        "a: -\n",
        "a: -b\n",
        "a: --b\n",
        "a: - b\n",
        "? a\n: b\n",
        "a: b\n...\n",
        "%YAML 1.2\n---\na: b\n",
        "a: b\n---\nc: d\n",
        "a: b\n c: d\n",
        "a:\n  b: c\n d: e\n",
        "a:\n  - b\n - c\n",
        "1: a\ntrue: b\n",
        "a: b\na: c\n",
        "-1: a\n",
        "a: [b]\n",
        "a: b]\n",
        "é: b\n",
        "a:\tb\n",
        "a: b\r\n",
        // Control characters, which YAML does not let a document hold (the
        // yaml_block fuzz target's first find: NUL in a key).
        "a: b\0c\n",
        "a\u{1}: b\n",
        "a: b\u{7f}\n",
        "a: \u{1b}[31mred\n",
        "key with spaces: value with spaces\n",
        "a:b\n",
        "a\n",
        "",
        "\n\n",
        "#only\n",
    ];
    let limits = Limits::default();
    for t in texts {
        same(t, &limits);
    }
    let tight = Limits {
        max_depth: 2,
        max_nodes: 6,
        ..Limits::default()
    };
    for t in texts {
        same(t, &tight);
    }
}

#[test]
fn reads_the_common_manifest() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  namespace: team\n  labels:\n    app: app\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app\n  template:\n    metadata:\n      labels:\n        app: app\n    spec:\n      serviceAccountName: app\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0.0\n        env:\n        - name: AWS_REGION\n          value: us-west-2\n        resources:\n          limits:\n            memory: 256Mi\n";
    let sa = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app\n  namespace: team\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app\n";
    for t in [deployment, sa] {
        assert_eq!(same(t, &Limits::default()), 1, "{t}");
    }
    let mut budget = Budget::default();
    assert!(block::read(sa, &Limits::default(), &mut budget, Shift::default()).is_some());
}

/// A fixed stream of pseudo-random numbers (xorshift): the same texts every run.
fn numbers(mut seed: u64) -> impl FnMut() -> usize {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        usize::try_from(seed % 1_000_003).unwrap_or(0)
    }
}

#[test]
fn reads_what_saphyr_reads_in_texts_of_random_pieces() {
    let pieces = [
        "a",
        "b",
        "key",
        ":",
        ": ",
        " ",
        "  ",
        "    ",
        "-",
        "- ",
        "\n",
        "\n",
        "\n",
        "\n  ",
        "\n    ",
        "\n- ",
        "#",
        " #c",
        "x: y",
        "1",
        "-1",
        "yes",
        "~",
        "'q'",
        "\"d\"",
        "[",
        "]",
        "{}",
        "&a",
        "*a",
        "!t",
        "|",
        ">",
        "?",
        "---",
        "\n---\n",
        "...",
        "%",
        ",",
        "<<",
        "a:b",
        "http://h:1/p",
        "é",
        "\t",
        "\r",
    ];
    let mut next = numbers(0x9e37_79b9_7f4a_7c15);
    let mut read = 0;
    for _ in 0..100_000 {
        let n = next() % 24 + 1;
        let text: String = (0..n).map(|_| pieces[next() % pieces.len()]).collect();
        read += same(&text, &Limits::default());
    }
    assert!(read > 1000, "the block reader read {read}");
}

#[test]
fn reads_what_saphyr_reads_in_random_lines() {
    let contents = [
        "k: v",
        "k:",
        "k2: v2",
        "k: 1",
        "k: -x",
        "- v",
        "- k: v",
        "- k:",
        "-",
        "# c",
        "k: v # c",
        "v",
        "k: v  ",
        "k : v",
        "- - v",
        "k: 'v'",
        "k: [v]",
        "k: a:b",
        "k: on",
        "a/b.c: d-e",
        "k: v:",
    ];
    let mut next = numbers(0x2545_f491_4f6c_dd1d);
    let tight = Limits {
        max_depth: 3,
        max_nodes: 9,
        ..Limits::default()
    };
    let mut read = 0;
    for _ in 0..100_000 {
        let mut text = String::new();
        for _ in 0..next() % 10 + 1 {
            text.push_str(&" ".repeat(next() % 7));
            text.push_str(contents[next() % contents.len()]);
            text.push_str(if next().is_multiple_of(20) {
                "\n\n"
            } else {
                "\n"
            });
        }
        read += same(&text, &Limits::default()) + same(&text, &tight);
    }
    assert!(read > 5000, "the block reader read {read}");
}
