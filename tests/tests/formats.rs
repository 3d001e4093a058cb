//! The formats people paste (issue 6): golden files per format and spec,
//! every output parsed back, and free text shown to survive each format
//! unchanged and unexecuted.

// Helpers of a test file are test code: a panic is a failed test (clippy.toml
// allows these inside #[test] functions only).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};
use std::process::Command;

use irsa_core::{ArtefactKind, Bundle, Format, ValidSpec};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every example spec and every spec of `tests/fixtures/formats/` that is valid.
fn specs() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for dir in [
        root().join("examples"),
        root().join("tests/fixtures/formats"),
    ] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
            .collect();
        files.sort();
        for f in files {
            let stem = f.file_stem().unwrap().to_string_lossy().to_string();
            if stem.ends_with("-invalid") {
                continue;
            }
            out.push((stem, f));
        }
    }
    out
}

fn load(path: &Path) -> ValidSpec {
    let text = std::fs::read_to_string(path).unwrap();
    let v = irsa_core::load_spec(&text, None);
    v.spec
        .unwrap_or_else(|| panic!("{}: {:#?}", path.display(), v.diagnostics))
}

fn generated(path: &Path) -> (ValidSpec, Bundle) {
    let spec = load(path);
    let bundle = irsa_core::generate(&spec).unwrap();
    (spec, bundle)
}

/// One golden file per spec and format: the file of every binding it applies to.
#[test]
fn golden_files_per_format_and_spec() {
    for (name, path) in specs() {
        let (_, bundle) = generated(&path);
        // The formats beyond the stream's core artefacts.
        for kind in ArtefactKind::all().filter(|k| !k.in_stream()) {
            let mut text = String::new();
            for b in &bundle.bindings {
                if let Some(a) = b.artefacts.iter().find(|a| a.kind == kind) {
                    text.push_str(&format!("=== {}/{}\n{}", b.dir, a.file, a.text));
                }
            }
            if text.is_empty() {
                text = "(not applicable to any binding)\n".into();
            }
            insta::with_settings!({snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false, omit_expression => true}, {
                insta::assert_snapshot!(format!("{name}@{}", kind.file_name()), text);
            });
        }
    }
}

/// The five core artefacts come first, unchanged in kind and order; the
/// formats follow in `ArtefactKind::all()` order, each file name once.
#[test]
fn core_artefacts_first_then_formats() {
    for (name, path) in specs() {
        let (_, bundle) = generated(&path);
        for b in &bundle.bindings {
            let kinds: Vec<ArtefactKind> = b.artefacts.iter().map(|a| a.kind).collect();
            let mut sorted = kinds.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(kinds, sorted, "{name} {}", b.dir);
            assert_eq!(kinds.first(), Some(&ArtefactKind::TrustPolicy));
            let core = kinds.iter().take_while(|k| k.in_stream()).count();
            assert!(kinds.iter().skip(core).all(|k| !k.in_stream()), "{name}");
        }
    }
}

/// YAML and JSON files parse back to the documents they were rendered from;
/// both CloudFormation templates are the same template.
#[test]
fn yaml_and_json_parse_back() {
    for (name, path) in specs() {
        let (_, bundle) = generated(&path);
        for b in &bundle.bindings {
            for a in &b.artefacts {
                match a.kind.format() {
                    Format::Json => {
                        let v: serde_json::Value = serde_json::from_str(&a.text).unwrap();
                        assert_eq!(vec![v], a.documents, "{name} {}", a.file);
                    }
                    Format::Yaml => {
                        let docs: Vec<serde_json::Value> = a
                            .text
                            .split("\n---\n")
                            .map(|d| serde_yaml_ng::from_str(d).unwrap())
                            .collect();
                        assert_eq!(docs, a.documents, "{name} {}", a.file);
                    }
                    Format::Shell | Format::Hcl => assert!(a.documents.is_empty()),
                }
            }
            let cfn = |k| b.artefacts.iter().find(|a| a.kind == k).unwrap();
            assert_eq!(
                cfn(ArtefactKind::CloudFormationYaml).documents,
                cfn(ArtefactKind::CloudFormationJson).documents
            );
        }
    }
}

fn attr<'a>(body: &'a hcl::Body, block: &str, label: &str, name: &str) -> &'a hcl::Expression {
    let b = body
        .blocks()
        .find(|b| {
            b.identifier() == "resource"
                && b.labels().first().map(|l| l.as_str()) == Some(block)
                && b.labels().get(1).map(|l| l.as_str()) == Some(label)
        })
        .unwrap_or_else(|| panic!("no resource {block} {label}"));
    &b.body()
        .attributes()
        .find(|a| a.key() == name)
        .unwrap_or_else(|| panic!("no {name} in {block}"))
        .expr
}

/// An HCL expression evaluated (templates, escapes) and turned into JSON,
/// what `jsonencode` gives Terraform.
/// The references to the OIDC providers (`data.aws_iam_openid_connect_provider.cluster.arn`,
/// or the resource's when the spec creates them) are the providers' ARNs.
fn eval(spec: &ValidSpec, e: &hcl::Expression) -> serde_json::Value {
    use hcl::eval::Evaluate;
    let arg = match e {
        hcl::Expression::FuncCall(f) => {
            assert_eq!(f.name.to_string(), "jsonencode");
            f.args.first().unwrap().clone()
        }
        other => other.clone(),
    };
    // Named `cluster`, `cluster_2`..., after the role with several bindings.
    let mut prefixes = vec![String::new()];
    prefixes.extend(
        spec.bindings
            .iter()
            .map(|b| format!("{}_", irsa_core::formats::hcl::label(&b.role_name))),
    );
    let mut providers = hcl::Map::new();
    for prefix in &prefixes {
        for (i, issuer) in spec.issuers.iter().enumerate() {
            let name = if i == 0 {
                format!("{prefix}cluster")
            } else {
                format!("{prefix}cluster_{}", i + 1)
            };
            let arn = issuer.provider_arn(spec.partition, &spec.account_id);
            let mut attrs = hcl::Map::new();
            attrs.insert("arn".to_string(), hcl::Value::String(arn));
            providers.insert(name, hcl::Value::Object(attrs));
        }
    }
    let mut ctx = hcl::eval::Context::new();
    let mut data = hcl::Map::new();
    data.insert(
        "aws_iam_openid_connect_provider".to_string(),
        hcl::Value::Object(providers.clone()),
    );
    ctx.declare_var("data", hcl::Value::Object(data));
    ctx.declare_var(
        "aws_iam_openid_connect_provider",
        hcl::Value::Object(providers),
    );
    let v: hcl::Value = arg.evaluate(&ctx).unwrap();
    serde_json::to_value(v).unwrap()
}

/// main.tf parses as HCL, and its policies evaluate to exactly the JSON
/// policies, so `jsonencode` gives IAM the same documents.
#[test]
fn terraform_parses_back() {
    for (name, path) in specs() {
        let (spec, bundle) = generated(&path);
        assert_terraform_is_the_json(&name, &spec, &bundle);
    }
}

fn assert_terraform_is_the_json(name: &str, spec: &ValidSpec, bundle: &Bundle) {
    {
        for (b, out) in spec.bindings.iter().zip(&bundle.bindings) {
            let tf = out
                .artefacts
                .iter()
                .find(|a| a.kind == ArtefactKind::Terraform)
                .unwrap();
            let body: hcl::Body =
                hcl::parse(&tf.text).unwrap_or_else(|e| panic!("{name}: {e}\n{}", tf.text));
            let id = irsa_core::formats::hcl::label(&b.role_name);
            let trust = serde_json::to_value(irsa_core::documents::trust_policy(spec, b)).unwrap();
            assert_eq!(
                eval(spec, attr(&body, "aws_iam_role", &id, "assume_role_policy")),
                trust,
                "{name}"
            );
            if let Some(p) = irsa_core::documents::permissions_policy(spec, b) {
                let p = serde_json::to_value(p).unwrap();
                assert_eq!(
                    eval(spec, attr(&body, "aws_iam_policy", &id, "policy")),
                    p,
                    "{name}"
                );
            }
            if let Some(d) = &b.description {
                assert_eq!(
                    eval(spec, attr(&body, "aws_iam_role", &id, "description")),
                    serde_json::json!(d)
                );
            }
            if !b.tags.is_empty() {
                assert_eq!(
                    eval(spec, attr(&body, "aws_iam_role", &id, "tags")),
                    serde_json::to_value(&b.tags).unwrap()
                );
            }
        }
    }
}

/// Every script passes `bash -n`.
#[test]
fn scripts_pass_bash_n() {
    let dir = scratch("bash-n");
    for (name, path) in specs() {
        let (_, bundle) = generated(&path);
        for (i, b) in bundle.bindings.iter().enumerate() {
            for a in b
                .artefacts
                .iter()
                .filter(|a| a.kind.format() == Format::Shell)
            {
                let file = dir.join(format!("{name}-{i}-{}", a.file));
                std::fs::write(&file, &a.text).unwrap();
                let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
                assert!(
                    out.status.success(),
                    "{name} {}: {}",
                    a.file,
                    String::from_utf8_lossy(&out.stderr)
                );
            }
        }
    }
}

fn scratch(what: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-formats-{what}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Stubs for aws, kubectl and eksctl: each call writes its arguments (and,
/// for `apply -f -`, what it read) to a file of its own in $LOG (the two
/// sides of a pipe run at once), NUL-separated. With EXISTS=1 the `get-*`
/// and `list-*` calls find something, so the update paths run. What the
/// role holds is the environment's, as `--output text` prints it (tabs
/// between words): TAG_KEYS, ATTACHED, INLINE and BOUNDARY (`get-role --query`).
const STUBS: &str = r#"
record() {
  local f
  f=$(mktemp "$LOG/call.XXXXXXXX")
  { printf '%s\0' "$@"; printf 'STDIN\0'; if [ "$1" = kubectl ] && [ "$2" = apply ]; then cat; fi; printf '\0'; } > "$f"
}
aws() {
  record aws "$@"
  case "$2" in
    list-role-tags) printf '%s\n' "${TAG_KEYS:-}" ;;
    list-attached-role-policies) printf '%s\n' "${ATTACHED:-}" ;;
    list-role-policies) printf '%s\n' "${INLINE:-}" ;;
    get-*)
      [ "${EXISTS:-0}" = 1 ] || return 1
      case "$*" in *--query*) printf '%s\n' "${BOUNDARY:-None}" ;; esac ;;
    list-*) [ "${EXISTS:-0}" = 1 ] && echo a-0123456789 ;;
  esac
  return 0
}
kubectl() { record kubectl "$@"; }
eksctl() { record eksctl "$@"; }
export -f record aws kubectl eksctl
"#;

#[derive(Debug)]
struct Call {
    args: Vec<String>,
    stdin: String,
}

impl Call {
    /// The value of `--name value` or `--name=value` (what the scripts write,
    /// so that a value starting with `-` is never an option).
    fn flag(&self, name: &str) -> Option<&str> {
        let joined = format!("{name}=");
        if let Some(v) = self.args.iter().find_map(|a| a.strip_prefix(&joined)) {
            return Some(v);
        }
        let i = self.args.iter().position(|a| a == name)?;
        self.args.get(i + 1).map(String::as_str)
    }
}

/// Runs a script under bash with the stubs, in a scratch directory; returns the calls.
fn run(script: &str, exists: bool, dir: &Path) -> Vec<Call> {
    run_with(script, exists, &[], dir).0
}

/// [`run`] with more of the stubs' environment; returns the calls and what
/// the script printed.
fn run_with(script: &str, exists: bool, env: &[(&str, String)], dir: &Path) -> (Vec<Call>, String) {
    let file = dir.join("script.sh");
    let log = dir.join("calls");
    let _ = std::fs::remove_dir_all(&log);
    std::fs::create_dir_all(&log).unwrap();
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash")
        .arg("-c")
        .arg(format!("{STUBS}\nbash \"$0\"",))
        .arg(&file)
        .current_dir(dir)
        .env("LOG", &log)
        .env("EXISTS", if exists { "1" } else { "0" })
        .env("HOME", "/nonexistent-home")
        .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "script failed: {}\n{}",
        String::from_utf8_lossy(&out.stderr),
        script
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&log)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    let calls = files
        .iter()
        .map(|f| {
            let r = std::fs::read_to_string(f).unwrap();
            let (args, stdin) = r.split_once("STDIN\0").unwrap();
            Call {
                args: args
                    .split('\0')
                    .filter(|a| !a.is_empty())
                    .map(String::from)
                    .collect(),
                stdin: stdin.strip_suffix('\0').unwrap().to_string(),
            }
        })
        .collect();
    (calls, String::from_utf8_lossy(&out.stdout).into_owned())
}

fn find<'a>(calls: &'a [Call], prefix: &[&str]) -> Vec<&'a Call> {
    calls
        .iter()
        .filter(|c| c.args.len() >= prefix.len() && c.args.iter().zip(prefix).all(|(a, p)| a == p))
        .collect()
}

fn no_markers(dir: &Path) {
    let made: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.starts_with("MARKER"))
        .collect();
    assert!(made.is_empty(), "free text was executed: {made:?}");
}

fn text_of(bundle: &Bundle, kind: ArtefactKind) -> &str {
    &bundle.bindings[0]
        .artefacts
        .iter()
        .find(|a| a.kind == kind)
        .unwrap_or_else(|| panic!("no {}", kind.file_name()))
        .text
}

fn json(s: &str) -> serde_json::Value {
    serde_json::from_str(s).unwrap()
}

/// setup.sh, run with stub commands: every value arrives verbatim, in both
/// the create and the update path, and nothing in free text runs.
#[test]
fn setup_sh_passes_free_text_verbatim() {
    let path = root().join("tests/fixtures/formats/hostile.yaml");
    let (spec, bundle) = generated(&path);
    let b = &spec.bindings[0];
    let description = b.description.clone().unwrap();
    assert!(
        description.contains("$(touch") && description.contains('\n') && description.contains('`')
    );
    let script = text_of(&bundle, ArtefactKind::Setup);
    let trust = serde_json::to_value(irsa_core::documents::trust_policy(&spec, b)).unwrap();
    let perms =
        serde_json::to_value(irsa_core::documents::permissions_policy(&spec, b).unwrap()).unwrap();
    let tags: Vec<serde_json::Value> = b
        .tags
        .iter()
        .map(|(k, v)| serde_json::json!({"Key": k, "Value": v}))
        .collect();

    let dir = scratch("setup");
    let calls = run(script, false, &dir);
    let create = find(&calls, &["aws", "iam", "create-role"]);
    let [create] = create.as_slice() else {
        panic!("{calls:#?}")
    };
    assert_eq!(create.flag("--description"), Some(description.as_str()));
    assert_eq!(
        json(create.flag("--assume-role-policy-document").unwrap()),
        trust
    );
    // A role setup.sh creates carries irsa-gen's marker after the spec's tags.
    let mut marked = tags.clone();
    marked.push(serde_json::json!({"Key": "irsa-gen:managed", "Value": "true"}));
    assert_eq!(
        json(create.flag("--tags").unwrap()),
        serde_json::json!(marked)
    );
    assert_eq!(create.flag("--role-name"), Some("hostile-role"));
    let put = find(&calls, &["aws", "iam", "put-role-policy"]);
    assert_eq!(json(put[0].flag("--policy-document").unwrap()), perms);
    assert_eq!(
        find(&calls, &["aws", "iam", "create-open-id-connect-provider"]).len(),
        1
    );
    let applied: Vec<&str> = find(&calls, &["kubectl", "apply"])
        .iter()
        .map(|c| c.stdin.as_str())
        .collect();
    for kind in [
        ArtefactKind::ServiceAccount,
        ArtefactKind::Deployment,
        ArtefactKind::VerifyPod,
    ] {
        assert!(
            applied.contains(&text_of(&bundle, kind)),
            "{} not applied verbatim",
            kind.file_name()
        );
    }
    assert!(
        find(&calls, &["kubectl", "wait"]).len() == 1
            && find(&calls, &["kubectl", "logs"]).len() == 1
    );
    no_markers(&dir);

    // Rerun: everything exists, so the trust, description and tags are updated in place.
    let calls = run(script, true, &dir);
    assert!(find(&calls, &["aws", "iam", "create-role"]).is_empty());
    assert!(find(&calls, &["aws", "iam", "create-open-id-connect-provider"]).is_empty());
    let update = find(&calls, &["aws", "iam", "update-assume-role-policy"]);
    assert_eq!(json(update[0].flag("--policy-document").unwrap()), trust);
    let update = find(&calls, &["aws", "iam", "update-role"]);
    assert_eq!(update[0].flag("--description"), Some(description.as_str()));
    assert_eq!(
        json(
            find(&calls, &["aws", "iam", "tag-role"])[0]
                .flag("--tags")
                .unwrap()
        ),
        serde_json::json!(tags)
    );
    no_markers(&dir);
}

/// setup.sh converges (issue 14): the first run of a spec, then a second of
/// a smaller one against what the first left (the stubs answer the `list-*`
/// calls with it): the managed policy, inline policy, boundary and tag the
/// spec no longer has are removed and said; kept ones and the marker stay.
/// A role without irsa-gen's marker loses nothing.
#[test]
fn setup_sh_converges_on_a_smaller_spec() {
    let dir = scratch("converge");
    let (before, bundle) = generated(&root().join("tests/fixtures/formats/converge/before.yaml"));
    let (calls, _) = run_with(text_of(&bundle, ArtefactKind::Setup), false, &[], &dir);
    let create = find(&calls, &["aws", "iam", "create-role"]);
    let [create] = create.as_slice() else {
        panic!("{calls:#?}")
    };
    assert_eq!(
        create.flag("--description"),
        Some("-x starts like an option")
    );
    // What the first run left on the role, as the AWS CLI lists it.
    let attached: Vec<&str> = find(&calls, &["aws", "iam", "attach-role-policy"])
        .iter()
        .map(|c| c.flag("--policy-arn").unwrap())
        .collect();
    assert_eq!(attached.len(), 2);
    let inline = find(&calls, &["aws", "iam", "put-role-policy"])[0]
        .flag("--policy-name")
        .unwrap();
    let boundary = create.flag("--permissions-boundary").unwrap();
    let tags = json(create.flag("--tags").unwrap());
    let keys: Vec<&str> = tags
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["Key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, ["team", "cost center", "irsa-gen:managed"]);
    let state = |keys: &[&str]| {
        vec![
            ("TAG_KEYS", keys.join("\t")),
            ("ATTACHED", attached.join("\t")),
            ("INLINE", inline.to_string()),
            ("BOUNDARY", boundary.to_string()),
        ]
    };
    let (after, bundle) = generated(&root().join("tests/fixtures/formats/converge/after.yaml"));
    let script = text_of(&bundle, ArtefactKind::Setup);
    let (calls, printed) = run_with(script, true, &state(&keys), &dir);
    let removed = |verb: &str, flag: &str| -> Vec<String> {
        find(&calls, &["aws", "iam", verb])
            .iter()
            .map(|c| c.flag(flag).unwrap_or("").to_string())
            .collect()
    };
    assert_eq!(
        removed("detach-role-policy", "--policy-arn"),
        ["arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess"]
    );
    assert_eq!(removed("delete-role-policy", "--policy-name"), [inline]);
    assert_eq!(
        removed("delete-role-permissions-boundary", "--role-name"),
        ["converging-role"]
    );
    assert_eq!(removed("untag-role", "--tag-keys"), ["cost center"]);
    for line in [
        "detached the managed policy arn:aws:iam::aws:policy/AmazonSQSReadOnlyAccess from the role converging-role",
        "deleted the inline policy converging-role-permissions of the role converging-role",
        "removed the permissions boundary of the role converging-role",
        "removed the tag cost center from the role converging-role",
    ] {
        assert!(printed.lines().any(|l| l == line), "not said: {line}\n{printed}");
    }
    assert_eq!(before.bindings[0].role_name, after.bindings[0].role_name);

    // The same role without the marker: irsa-gen did not create it.
    let (calls, printed) = run_with(script, true, &state(&["team", "cost center"]), &dir);
    for verb in [
        "detach-role-policy",
        "delete-role-policy",
        "delete-role-permissions-boundary",
        "untag-role",
    ] {
        assert!(
            find(&calls, &["aws", "iam", verb]).is_empty(),
            "{verb} on a role irsa-gen did not create"
        );
    }
    assert!(printed.contains("has no irsa-gen:managed tag"), "{printed}");
    no_markers(&dir);
}

/// eksctl.sh, pod-identity.sh and the Pod Identity setup.sh, run with stubs.
#[test]
fn eksctl_and_pod_identity_scripts_pass_values_verbatim() {
    let (spec, bundle) = generated(&root().join("tests/fixtures/formats/hostile.yaml"));
    let dir = scratch("eksctl");
    let calls = run(text_of(&bundle, ArtefactKind::EksctlScript), false, &dir);
    let create = find(&calls, &["eksctl", "create", "iamserviceaccount"]);
    assert_eq!(create[0].flag("--role-name"), Some("hostile-role"));
    assert_eq!(create[0].flag("--cluster"), Some("hostile"));
    assert_eq!(
        create[0].flag("--tags"),
        Some("owner=a=b+c@d:e/f.g_h-i,k8s.io/cluster-autoscaler/hostile=owned")
    );
    let policy = find(&calls, &["aws", "iam", "create-policy"]);
    let want = irsa_core::documents::permissions_policy(&spec, &spec.bindings[0]).unwrap();
    assert_eq!(
        json(policy[0].flag("--policy-document").unwrap()),
        serde_json::to_value(want).unwrap()
    );
    assert_eq!(
        create[0].flag("--attach-policy-arn"),
        Some("arn:aws:iam::111122223333:policy/hostile-role-permissions")
    );
    no_markers(&dir);

    let (spec, bundle) =
        generated(&root().join("tests/fixtures/formats/pod-identity-hostile.yaml"));
    let role_arn = spec.bindings[0].role_arn(&spec);
    for (kind, exists) in [
        (ArtefactKind::PodIdentity, false),
        (ArtefactKind::PodIdentity, true),
        (ArtefactKind::Setup, false),
    ] {
        let calls = run(text_of(&bundle, kind), exists, &dir);
        let verb = if exists {
            "update-pod-identity-association"
        } else {
            "create-pod-identity-association"
        };
        let assoc = find(&calls, &["aws", "eks", verb]);
        let [assoc] = assoc.as_slice() else {
            panic!("{kind:?} {exists}: {calls:#?}")
        };
        assert_eq!(assoc.flag("--role-arn"), Some(role_arn.as_str()));
        assert_eq!(assoc.flag("--cluster-name"), Some("pi-cluster"));
        if exists {
            assert_eq!(assoc.flag("--association-id"), Some("a-0123456789"));
        } else {
            assert_eq!(assoc.flag("--namespace"), Some("team-b"));
            assert_eq!(assoc.flag("--service-account"), Some("worker"));
        }
        if kind == ArtefactKind::Setup {
            assert!(find(&calls, &["aws", "iam", "create-open-id-connect-provider"]).is_empty());
            let create = find(&calls, &["aws", "iam", "create-role"]);
            assert_eq!(
                create[0].flag("--description"),
                spec.bindings[0].description.as_deref()
            );
            let applied: Vec<&str> = find(&calls, &["kubectl", "apply"])
                .iter()
                .map(|c| c.stdin.as_str())
                .collect();
            assert!(applied.contains(&text_of(&bundle, ArtefactKind::Deployment)));
        }
    }
    let calls = run(text_of(&bundle, ArtefactKind::EksctlScript), false, &dir);
    let assoc = find(&calls, &["eksctl", "create", "podidentityassociation"]);
    assert_eq!(
        assoc[0].flag("--permission-policy-arns"),
        Some("arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess,arn:aws:iam::111122223333:policy/pi-worker-permissions")
    );
    no_markers(&dir);
}

/// Free text reads back unchanged from every YAML and JSON format.
#[test]
fn free_text_survives_yaml_and_json_formats() {
    let (spec, bundle) = generated(&root().join("tests/fixtures/formats/hostile.yaml"));
    let b = &spec.bindings[0];
    let description = serde_json::json!(b.description.clone().unwrap());
    let image = serde_json::json!(b.workload.as_ref().unwrap().image.clone());
    let statement = b.permissions.statements[0].clone();
    for kind in [
        ArtefactKind::CloudFormationYaml,
        ArtefactKind::CloudFormationJson,
    ] {
        let doc = &bundle.bindings[0]
            .artefacts
            .iter()
            .find(|a| a.kind == kind)
            .unwrap()
            .documents[0];
        let role = &doc["Resources"]["Role"]["Properties"];
        assert_eq!(role["Description"], description);
        assert_eq!(
            role["Policies"][0]["PolicyDocument"]["Statement"][0],
            statement
        );
        assert_eq!(
            role["Tags"][0],
            serde_json::json!({"Key": "owner", "Value": "a=b+c@d:e/f.g_h-i"})
        );
    }
    let eksctl = &bundle.bindings[0]
        .artefacts
        .iter()
        .find(|a| a.kind == ArtefactKind::EksctlCluster)
        .unwrap()
        .documents[0];
    assert_eq!(
        eksctl["iam"]["serviceAccounts"][0]["attachPolicy"]["Statement"][0],
        statement
    );
    assert_eq!(eksctl["iam"]["withOIDC"], serde_json::json!(true));
    assert_eq!(
        eksctl["iam"]["serviceAccounts"][0]["metadata"]["annotations"]
            ["eks.amazonaws.com/token-expiration"],
        serde_json::json!("3600")
    );
    let deployment: serde_json::Value =
        serde_yaml_ng::from_str(text_of(&bundle, ArtefactKind::Deployment)).unwrap();
    assert_eq!(
        deployment["spec"]["template"]["spec"]["containers"][0]["image"],
        image
    );
    let spice: serde_json::Value =
        serde_yaml_ng::from_str(text_of(&bundle, ArtefactKind::SpicepodSet)).unwrap();
    assert_eq!(
        spice["spec"]["service_account"]["annotations"]["eks.amazonaws.com/role-arn"],
        serde_json::json!(b.role_arn(&spec))
    );
    let helm: serde_json::Value =
        serde_yaml_ng::from_str(text_of(&bundle, ArtefactKind::HelmValues)).unwrap();
    assert_eq!(helm["serviceAccount"]["name"], serde_json::json!("app"));
    assert_eq!(helm["serviceAccount"]["create"], serde_json::json!(true));
}

/// Add-on mistakes: every one reported with its field path and code.
#[test]
fn addon_validation() {
    let path = root().join("tests/fixtures/formats/addons-invalid.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let v = irsa_core::load_spec(&text, Some("addons-invalid.yaml"));
    assert!(v.spec.is_none());
    let lines: Vec<String> = v
        .diagnostics
        .iter()
        .filter(|d| d.code.starts_with("SPEC04"))
        .map(|d| {
            format!(
                "{} {:?} {} | {} | {}",
                d.code,
                d.severity,
                d.path.clone().unwrap_or_default(),
                d.message,
                d.help
            )
        })
        .collect();
    insta::with_settings!({snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("addons-invalid@diagnostics", lines.join("\n"));
    });
    // A bare version is a YAML number (1.10 would read as 1.1): refused, with why.
    let bare = text.replace("version: \"0.20\"", "version: 1.10");
    let v = irsa_core::load_spec(&bare, None);
    assert!(v.spec.is_none());
    assert!(
        v.diagnostics
            .iter()
            .any(|d| d.message.contains("quote the version")),
        "{:#?}",
        v.diagnostics
    );
}

/// A scope given is never widened to `*`; without one the warning says so.
#[test]
fn addon_scopes() {
    let (_, bundle) = generated(&root().join("examples/addons.yaml"));
    let policy = |dir: &str| {
        let b = bundle.bindings.iter().find(|b| b.dir == dir).unwrap();
        b.artefacts
            .iter()
            .find(|a| a.kind == ArtefactKind::PermissionsPolicy)
            .unwrap()
            .text
            .clone()
    };
    let dns = policy("kube-system/external-dns");
    assert!(dns.contains("hostedzone/Z0123456789EXAMPLE") && !dns.contains("hostedzone/*"));
    let karpenter = policy("kube-system/karpenter");
    assert!(karpenter.contains("role/KarpenterNodeRole-prod") && !karpenter.contains(":role/*"));
    assert!(karpenter.contains("kubernetes.io/cluster/prod"));
    assert!(karpenter.contains("arn:aws:eks:us-west-2:111122223333:cluster/prod"));

    let text = std::fs::read_to_string(root().join("examples/addons.yaml")).unwrap();
    let unscoped = text.replace("          hostedZoneArns:\n            - arn:aws:route53:::hostedzone/Z0123456789EXAMPLE\n", "");
    let v = irsa_core::load_spec(&unscoped, None);
    let warned: Vec<&str> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == "SPEC046")
        .filter_map(|d| d.path.as_deref())
        .collect();
    assert!(
        warned.contains(&"bindings[0].permissions.addons[0]")
            && warned.contains(&"bindings[1].permissions.addons[0]"),
        "{warned:?}"
    );
    let v = irsa_core::load_spec(&text, None);
    assert!(
        v.diagnostics.iter().all(|d| d.code != "SPEC046"),
        "{:#?}",
        v.diagnostics
    );
    let secrets = policy("external-secrets/external-secrets");
    assert!(secrets.contains("secret:prod/*") && !secrets.contains("ssm:"));

    // Where `*` is the only option, each add-on says so once per reason.
    let wide = root().join("tests/fixtures/formats/addons-wide.yaml");
    let v = irsa_core::load_spec(&std::fs::read_to_string(&wide).unwrap(), None);
    let warned: Vec<String> = v
        .diagnostics
        .iter()
        .filter(|d| d.code == "SPEC046")
        .map(|d| format!("{} {}", d.path.clone().unwrap_or_default(), d.message))
        .collect();
    insta::with_settings!({snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false, omit_expression => true}, {
        insta::assert_snapshot!("addons-wide@warnings", warned.join("\n"));
    });
    // Partition-correct: nothing of the aws partition in the China policies.
    let (_, bundle) = generated(&wide);
    let lbc = bundle.bindings[0]
        .artefacts
        .iter()
        .find(|a| a.kind == ArtefactKind::PermissionsPolicy)
        .unwrap();
    // Service principals as AWS names them in China: the load balancer
    // controller's own China policy keeps elasticloadbalancing.amazonaws.com
    // (with the partition's suffix, CreateServiceLinkedRole is denied), and so
    // do fsx, vpc-lattice and delivery.logs.
    assert!(lbc.text.contains("\"elasticloadbalancing.amazonaws.com\""));
    for b in &bundle.bindings {
        for a in &b.artefacts {
            assert!(!a.text.contains("arn:aws:"), "{} {}", b.dir, a.file);
            if a.kind == ArtefactKind::PermissionsPolicy {
                assert!(
                    !a.text.contains(".amazonaws.com.cn"),
                    "{} {}",
                    b.dir,
                    a.file
                );
            }
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 48, ..Default::default() })]

    /// Any word (no NUL, which no argument can hold) reaches a command unchanged.
    #[test]
    fn shell_quote_round_trips(word in "[^\u{0}]{0,40}", tricky in proptest::sample::select(vec!["'", "$(id)", "`id`", "${HOME}", "\\", "\n", "!", "*", "~", "#", "EOF"])) {
        let word = format!("{word}{tricky}{word}");
        let mut s = irsa_core::formats::shell::Script::new(&["round trip"]);
        s.command(&["printf", "%s", &word]);
        let out = Command::new("bash").arg("-c").arg(s.finish()).output().unwrap();
        proptest::prop_assert!(out.status.success());
        proptest::prop_assert_eq!(String::from_utf8(out.stdout).unwrap(), word);
    }

    /// Any string written as an HCL literal evaluates back to itself.
    #[test]
    fn hcl_string_round_trips(text in "\\PC{0,40}", tricky in proptest::sample::select(vec!["${x}", "%{if}", "$${", "%%{", "\"", "\\", "\n", "\t", "\u{1}", "$", "%"])) {
        use hcl::eval::Evaluate;
        let text = format!("{text}{tricky}{text}");
        let body: hcl::Body = hcl::parse(&format!("x = {}\n", irsa_core::formats::hcl::string(&text))).unwrap();
        let attr = body.attributes().next().unwrap();
        let v: hcl::Value = attr.expr.evaluate(&hcl::eval::Context::new()).unwrap();
        proptest::prop_assert_eq!(v, hcl::Value::String(text));
    }
}

/// The README's table of add-ons is the catalogue's: names, inputs, upstream releases.
#[test]
fn readme_lists_every_addon_with_its_upstream() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = "(a test keeps it in sync) -->\n";
    let from = readme.find(start).unwrap() + start.len();
    let to = readme.find("<!-- end of addons table -->").unwrap();
    let table = &readme[from..to];
    let want = irsa_core::addons::markdown_table();
    if table != want {
        std::fs::write(root().join("target/addons-table.md"), &want).unwrap();
    }
    assert_eq!(
        table, want,
        "README's add-on table (the expected one is in target/addons-table.md)"
    );
}

/// Every add-on in each partition (`tests/fixtures/addons/`): valid, every
/// ARN of the partition, main.tf the same documents, and the service
/// principals of each policy as AWS names them there (a snapshot each).
#[test]
fn every_addon_in_every_partition() {
    for partition in ["aws", "aws-cn", "aws-us-gov", "aws-iso"] {
        let path = root().join(format!("tests/fixtures/addons/{partition}.yaml"));
        let text = std::fs::read_to_string(&path).unwrap();
        let v = irsa_core::load_spec(&text, None);
        let unexpected: Vec<_> = v
            .diagnostics
            .iter()
            // SPEC046 where `*` remains (no inputs given); SPEC016: no EKS
            // issuer host is documented for the ISO partitions.
            .filter(|d| d.severity != irsa_core::Severity::Info && d.code != "SPEC046")
            .filter(|d| !(partition == "aws-iso" && d.code == "SPEC016"))
            .collect();
        assert!(unexpected.is_empty(), "{partition}: {unexpected:#?}");
        let (spec, bundle) = generated(&path);
        assert_eq!(bundle.bindings.len(), irsa_core::addons::ADDONS.len());
        assert_terraform_is_the_json(partition, &spec, &bundle);
        let mut principals = Vec::new();
        for (b, out) in spec.bindings.iter().zip(&bundle.bindings) {
            for a in &out.artefacts {
                for arn in a
                    .text
                    .split(['"', '\'', ' ', '\n', '='])
                    .filter(|w| w.starts_with("arn:"))
                {
                    assert!(
                        arn.starts_with(&format!("arn:{partition}:")),
                        "{partition} {} {}: {arn}",
                        out.dir,
                        a.file
                    );
                }
            }
            let policy = out
                .artefacts
                .iter()
                .find(|a| a.kind == ArtefactKind::PermissionsPolicy)
                .map(|a| a.text.clone())
                .unwrap_or_default();
            let mut seen: Vec<String> = Vec::new();
            let doc: serde_json::Value =
                serde_json::from_str(if policy.is_empty() { "{}" } else { &policy }).unwrap();
            collect_principals(&doc, &mut seen);
            seen.sort();
            seen.dedup();
            if !seen.is_empty() {
                principals.push(format!(
                    "{}: {}",
                    b.permissions.addons[0].name,
                    seen.join(" ")
                ));
            }
        }
        insta::with_settings!({snapshot_path => "snapshots/formats", prepend_module_to_snapshot => false, omit_expression => true}, {
            insta::assert_snapshot!(format!("service-principals@{partition}"), principals.join("\n"));
        });
    }
}

/// The service principals a policy names: condition values of
/// `iam:AWSServiceName` and `iam:PassedToService`, and service-linked role paths.
fn collect_principals(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                if k == "iam:AWSServiceName" || k == "iam:PassedToService" {
                    match v {
                        serde_json::Value::Array(a) => out.extend(
                            a.iter()
                                .filter_map(|x| x.as_str())
                                .map(|x| format!("{k}={x}")),
                        ),
                        serde_json::Value::String(x) => out.push(format!("{k}={x}")),
                        _ => {}
                    }
                } else {
                    collect_principals(v, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_principals(x, out)),
        serde_json::Value::String(x) => {
            if let Some(rest) = x.split("aws-service-role/").nth(1) {
                out.push(format!(
                    "role path {}",
                    rest.split('/').next().unwrap_or_default()
                ));
            }
        }
        _ => {}
    }
}
