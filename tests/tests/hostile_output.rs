//! Output safety (issue 7): hostile text in every free-text spec field is
//! either rejected by validation, with an error naming that field, or reaches
//! every output (JSON, YAML, HCL, shell) unchanged and unexecuted.
//!
//! Each payload is wrapped in `<<` and `>>` (`@@` in tags) so that every place
//! it lands can be found after parsing: a decoded string holding the opening
//! marker must hold the whole wrapped payload, and some output must hold it.

// Helpers of a test file are test code: a panic is a failed test.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use irsa_core::source::{self, Limits};
use irsa_core::{Format, Severity};
use serde_json::{json, Value};

/// Text that would run, break out of quotes, end a line or a heredoc, start a
/// comment or a mapping, or not be ASCII.
const PAYLOADS: &[&str] = &[
    "it's \"quoted\"",
    "line one\nline two",
    "EOF\nEOT\n'\"",
    "$(touch MARKER_DOLLAR)",
    "`touch MARKER_TICK`",
    "${HOME}${IFS}$HOME",
    "%{if true}x%{endif}",
    "# not a comment",
    "key: value",
    "- item",
    "nul\0byte",
    "back\\slash\\n",
    "héllo wörld 日本 🙂",
    "tab\there\r\n",
    "; touch MARKER_SEMI; '",
    " leading and trailing ",
    // Without whitespace, for fields that refuse it (images).
    "$(touch${IFS}MARKER_NOSPACE)",
    "`touch${IFS}MARKER_NOSPACE_TICK`",
    "it's\"quoted\"",
    "#:{}[],&*!|>%@${x}",
];

/// A spec that produces every format: IRSA, a cluster name (eksctl), a
/// workload, an S3 grant with a prefix and a raw statement; the OIDC
/// provider created when missing (the stub `aws` finds nothing, so the
/// scripts take every creating path).
fn base() -> Value {
    json!({
        "accountId": "111122223333",
        "region": "us-west-2",
        "cluster": "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        "clusterName": "prod",
        "createOidcProvider": true,
        "bindings": [{
            "namespace": "team-a",
            "serviceAccount": "app",
            "roleName": "app-role",
            "description": "plain",
            "tags": {"owner": "plain"},
            "permissions": {
                "s3": [{"bucket": "my-bucket", "prefix": "uploads/", "access": "read"}],
                "statements": [{
                    "Sid": "Raw",
                    "Effect": "Allow",
                    "Action": "s3:GetObject",
                    "Resource": "arn:aws:s3:::my-bucket/plain",
                    "Condition": {"StringLike": {"s3:prefix": ["plain"]}}
                }]
            },
            "workload": {"name": "app", "image": "registry.example/app:1.0", "container": "app"}
        }]
    })
}

/// Puts a value into one field of a spec.
type Setter = Box<dyn Fn(&mut Value, &str)>;

/// Every free-text field: its display path and where it sits in the spec.
/// Tag keys and statement keys are set by renaming the key.
fn fields() -> Vec<(&'static str, Setter)> {
    fn b(spec: &mut Value) -> &mut Value {
        &mut spec["bindings"][0]
    }
    vec![
        (
            "bindings[0].description",
            Box::new(|s, v| b(s)["description"] = json!(v)),
        ),
        (
            "bindings[0].tags.owner",
            Box::new(|s, v| b(s)["tags"]["owner"] = json!(v)),
        ),
        (
            "bindings[0].tags",
            Box::new(|s, v| b(s)["tags"] = json!({ v: "value" })),
        ),
        (
            "bindings[0].workload.image",
            Box::new(|s, v| b(s)["workload"]["image"] = json!(v)),
        ),
        (
            "bindings[0].workload.name",
            Box::new(|s, v| b(s)["workload"]["name"] = json!(v)),
        ),
        (
            "bindings[0].workload.container",
            Box::new(|s, v| b(s)["workload"]["container"] = json!(v)),
        ),
        (
            "bindings[0].permissions.s3[0].prefix",
            Box::new(|s, v| b(s)["permissions"]["s3"][0]["prefix"] = json!(v)),
        ),
        (
            "bindings[0].permissions.s3[0].bucket",
            Box::new(|s, v| b(s)["permissions"]["s3"][0]["bucket"] = json!(v)),
        ),
        (
            "bindings[0].permissions.statements[0]",
            Box::new(|s, v| {
                b(s)["permissions"]["statements"][0]["Condition"]["StringLike"]["s3:prefix"] =
                    json!([v])
            }),
        ),
        (
            "bindings[0].permissions.statements[0]",
            Box::new(|s, v| {
                b(s)["permissions"]["statements"][0]["Resource"] =
                    json!(format!("arn:aws:s3:::my-bucket/{v}"))
            }),
        ),
        (
            "bindings[0].permissions.statements[0]",
            Box::new(|s, v| b(s)["permissions"]["statements"][0]["Sid"] = json!(v)),
        ),
        (
            "bindings[0].permissions.statements[0]",
            Box::new(|s, v| {
                b(s)["permissions"]["statements"][0]["Condition"]["StringLike"] = json!({ v: "x" })
            }),
        ),
        (
            "bindings[0].permissions.secretsManager[0].secret",
            Box::new(|s, v| b(s)["permissions"]["secretsManager"] = json!([{ "secret": v }])),
        ),
        (
            "bindings[0].permissions.dynamodb[0].table",
            Box::new(|s, v| b(s)["permissions"]["dynamodb"] = json!([{ "table": v }])),
        ),
        (
            "bindings[0].permissions.sqs[0].queue",
            Box::new(|s, v| b(s)["permissions"]["sqs"] = json!([{ "queue": v }])),
        ),
        ("clusterName", Box::new(|s, v| s["clusterName"] = json!(v))),
        ("audience", Box::new(|s, v| s["audience"] = json!(v))),
        (
            "bindings[0].roleName",
            Box::new(|s, v| b(s)["roleName"] = json!(v)),
        ),
        (
            "bindings[0].namespace",
            Box::new(|s, v| b(s)["namespace"] = json!(v)),
        ),
        (
            "bindings[0].serviceAccount",
            Box::new(|s, v| b(s)["serviceAccount"] = json!(v)),
        ),
    ]
}

/// Every decoded string in a value; strings that are themselves JSON
/// documents (policies passed as arguments) are decoded too.
fn strings(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(inner @ (Value::Object(_) | Value::Array(_))) => strings(&inner, out),
            _ => out.push(s.clone()),
        },
        Value::Array(items) => items.iter().for_each(|i| strings(i, out)),
        Value::Object(map) => {
            for (k, v) in map {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

/// Checks the strings of one output: each that shows the payload's start marker
/// holds the whole payload. Returns whether the payload is there.
fn holds(what: &str, found: &[String], open: &str, wrapped: &str) -> bool {
    let mut seen = false;
    for s in found {
        if s.contains(open) {
            assert!(
                s.contains(wrapped),
                "{what}: the payload {wrapped:?} arrives changed as {s:?}"
            );
            seen = true;
        }
    }
    seen
}

/// Every HCL attribute that evaluates without references, as JSON.
fn hcl_values(body: &hcl::Body, out: &mut Vec<Value>) {
    use hcl::eval::Evaluate;
    for a in body.attributes() {
        let e = match &a.expr {
            hcl::Expression::FuncCall(f) if f.name.to_string() == "jsonencode" => {
                f.args.first().unwrap().clone()
            }
            other => other.clone(),
        };
        if let Ok(v) = e.evaluate(&hcl::eval::Context::new()) {
            out.push(serde_json::to_value(v).unwrap());
        }
    }
    for b in body.blocks() {
        hcl_values(b.body(), out);
    }
}

/// Stub aws, kubectl and eksctl: each call writes its arguments and, for
/// `kubectl apply`, its standard input, NUL-separated, to a file in $LOG.
const STUBS: &str = r#"
record() {
  local f
  f=$(mktemp "$LOG/call.XXXXXXXX")
  { printf '%s\0' "$@"; printf 'STDIN\0'; if [ "$1" = kubectl ] && [ "$2" = apply ]; then cat; fi; printf '\0'; } > "$f"
}
aws() { record aws "$@"; case "$2" in get-*) return 1 ;; esac; return 0; }
kubectl() { record kubectl "$@"; }
eksctl() { record eksctl "$@"; }
export -f record aws kubectl eksctl
"#;

fn scratch() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-hostile-output-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a script under bash with the stubs; returns every argument and every
/// document piped to kubectl, decoded. Fails when a MARKER file appears.
fn run_script(what: &str, script: &str, dir: &Path) -> Vec<String> {
    let file = dir.join("script.sh");
    let log = dir.join("calls");
    let _ = std::fs::remove_dir_all(&log);
    std::fs::create_dir_all(&log).unwrap();
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{STUBS}\nbash \"$0\""))
        .arg(&file)
        .current_dir(dir)
        .env("LOG", &log)
        .env("HOME", "/nonexistent-home")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{what} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let markers: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("MARKER"))
        .collect();
    assert!(markers.is_empty(), "{what} executed free text: {markers:?}");
    let mut found = Vec::new();
    for f in std::fs::read_dir(&log).unwrap() {
        let r = std::fs::read_to_string(f.unwrap().path()).unwrap();
        let (args, stdin) = r.split_once("STDIN\0").unwrap();
        for a in args.split('\0') {
            // `--name=value` reaches the AWS CLI as the option's value.
            let a = a
                .strip_prefix("--")
                .and_then(|o| o.split_once('='))
                .map_or(a, |(_, value)| value);
            strings(&json!(a), &mut found);
        }
        let stdin = stdin.strip_suffix('\0').unwrap();
        if !stdin.is_empty() {
            for doc in parse_yaml(what, stdin) {
                strings(&doc, &mut found);
            }
        }
    }
    found
}

/// YAML read by both readers, which must agree.
fn parse_yaml(what: &str, text: &str) -> Vec<Value> {
    let ours: Vec<Value> = source::parse_documents(text, &Limits::default())
        .unwrap_or_else(|e| panic!("{what}: our reader: {e}\n{text}"))
        .iter()
        .map(|d| d.root.to_json())
        .filter(|v| !v.is_null())
        .collect();
    let theirs: Vec<Value> = text
        .split("\n---\n")
        .map(|d| {
            serde_yaml_ng::from_str(d)
                .unwrap_or_else(|e| panic!("{what}: serde_yaml_ng: {e}\n{text}"))
        })
        .filter(|v: &Value| !v.is_null())
        .collect();
    assert_eq!(ours, theirs, "{what}: the YAML readers disagree\n{text}");
    ours
}

/// Every field, every payload: rejected with an error naming the field, or
/// unchanged in every output and never executed.
#[test]
fn hostile_text_in_every_free_text_field_is_rejected_or_survives_every_format() {
    let dir = scratch();
    let mut accepted = 0;
    let mut rejected = 0;
    for (field, set) in fields() {
        for payload in PAYLOADS {
            // IAM tags allow only letters, digits, spaces and `_.:/=+-@`.
            let (open, close) = if field.starts_with("bindings[0].tags") {
                ("@@", "@@")
            } else {
                ("<<", ">>")
            };
            let wrapped = format!("{open}{payload}{close}");
            let mut spec = base();
            set(&mut spec, &wrapped);
            let text = serde_json::to_string_pretty(&spec).unwrap();
            let case = format!("{field} = {wrapped:?}");
            let v = irsa_core::load_spec(&text, Some("spec.json"));
            let Some(valid) = v.spec else {
                assert!(
                    v.diagnostics.iter().any(|d| d.severity == Severity::Error
                        && d.path.as_deref().is_some_and(|p| p.starts_with(field))),
                    "{case}: rejected without an error naming the field: {:#?}",
                    v.diagnostics
                );
                rejected += 1;
                eprintln!("rejected {case}");
                continue;
            };
            accepted += 1;
            eprintln!("accepted {case}");
            let bundle = irsa_core::generate(&valid)
                .unwrap_or_else(|e| panic!("{case}: valid spec, no artefacts: {e}"));
            let mut anywhere = false;
            for a in bundle.bindings.iter().flat_map(|b| &b.artefacts) {
                let what = format!("{case} in {}", a.file);
                let mut found = Vec::new();
                match a.kind.format() {
                    Format::Json => {
                        let doc: Value = serde_json::from_str(&a.text)
                            .unwrap_or_else(|e| panic!("{what}: {e}\n{}", a.text));
                        assert_eq!(vec![doc.clone()], a.documents, "{what}");
                        strings(&doc, &mut found);
                    }
                    Format::Yaml => {
                        let docs = parse_yaml(&what, &a.text);
                        assert_eq!(docs, a.documents, "{what}");
                        docs.iter().for_each(|d| strings(d, &mut found));
                    }
                    Format::Hcl => {
                        let body: hcl::Body = hcl::parse(&a.text)
                            .unwrap_or_else(|e| panic!("{what}: {e}\n{}", a.text));
                        let mut values = Vec::new();
                        hcl_values(&body, &mut values);
                        values.iter().for_each(|v| strings(v, &mut found));
                    }
                    Format::Shell => found = run_script(&what, &a.text, &dir),
                }
                anywhere |= holds(&what, &found, open, &wrapped);
            }
            assert!(anywhere, "{case}: accepted but in no output");
        }
    }
    // Both branches ran: some fields take free text, others validate it away.
    assert!(accepted > 0 && rejected > 0, "{accepted} {rejected}");
}
