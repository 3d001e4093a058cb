//! `generate --only KIND` with several bindings (issue 14): one file that
//! the tool it is for reads, made as the catalogue's `combine` column says.
//! A script passes `bash -n` and, run with a stub `aws` on PATH, sets up
//! every binding; `main.tf` parses as HCL with unique resource names (two
//! role names that are the same label); JSON kinds are one JSON array; a
//! template holds every role; a kind no single file can hold is exit 2.

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
#![cfg(unix)]

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

/// Two bindings whose role names (`team.app`, `team_app`) are one HCL label.
const TWO: &str = r#"
accountId: "111122223333"
region: us-west-2
cluster: https://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9
clusterName: prod
createOidcProvider: true
bindings:
  - namespace: team-a
    serviceAccount: app
    roleName: team.app
    permissions:
      managedPolicyArns: [arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess]
  - namespace: team-b
    serviceAccount: app
    roleName: team_app
    description: "-x starts like an option"
    permissions:
      s3: [{bucket: team-b-data, access: read}]
"#;

/// `generate -f - --only KIND` of `spec`: exit code, stdout, stderr.
fn only(spec: &str, kind: &str) -> (i32, String, String) {
    let out = common::output(&["generate", "-f", "-", "--only", kind], Some(spec));
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("irsa-cli-only-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `bash -n` of a script; panics with bash's message.
fn bash_n(name: &str, script: &str) {
    let file = scratch(name).join("script.sh");
    std::fs::write(&file, script).unwrap();
    let out = Command::new("bash").arg("-n").arg(&file).output().unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Runs a script with stub `aws`, `kubectl` and `eksctl` on PATH that log
/// each call's words (one call a line) and find nothing (`get-*` fails, so
/// every binding's create path runs); returns the log.
fn run_stubbed(name: &str, script: &str) -> String {
    let dir = scratch(name);
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    for tool in ["aws", "kubectl", "eksctl"] {
        let stub = format!(
            "#!/usr/bin/env bash\necho \"{tool} $*\" >> \"$LOG\"\ncase \"$2\" in get-*) exit 1 ;; esac\nexit 0\n"
        );
        let path = bin.join(tool);
        std::fs::write(&path, stub).unwrap();
        Command::new("chmod").arg("+x").arg(&path).status().unwrap();
    }
    let file = dir.join("script.sh");
    std::fs::write(&file, script).unwrap();
    let log = dir.join("log");
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let out = Command::new("bash")
        .arg(&file)
        .env("PATH", path)
        .env("LOG", &log)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{name}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::read_to_string(log).unwrap()
}

#[test]
fn setup_is_one_script_for_every_binding() {
    let (code, script, err) = only(TWO, "setup");
    assert_eq!(code, 0, "{err}");
    bash_n("setup", &script);
    assert_eq!(script.matches("#!/usr/bin/env bash").count(), 1);
    let log = run_stubbed("setup", &script);
    let created: Vec<&str> = log
        .lines()
        .filter(|l| l.starts_with("aws iam create-role "))
        .collect();
    assert_eq!(created.len(), 2, "{log}");
    assert!(created[0].contains("--role-name=team.app"), "{log}");
    assert!(
        created[1].contains("--role-name=team_app --path=/ --description=-x starts like an option"),
        "{log}"
    );
    // The provider once, for both.
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("aws iam create-open-id-connect-provider"))
            .count(),
        1
    );
    // Per binding: the namespace, the ServiceAccount, the verification pod.
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("kubectl apply"))
            .count(),
        6,
        "{log}"
    );
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("kubectl wait pod/"))
            .count(),
        2,
        "{log}"
    );
}

#[test]
fn main_tf_is_one_module_with_unique_names() {
    let (code, tf, err) = only(TWO, "main");
    assert_eq!(code, 0, "{err}");
    let body = hcl_edit::parser::parse_body(&tf).unwrap_or_else(|e| panic!("{e}\n{tf}"));
    let mut seen = BTreeSet::new();
    let mut roles = Vec::new();
    for block in body.blocks() {
        let labels: Vec<String> = block
            .labels
            .iter()
            .map(|l| l.as_str().to_string())
            .collect();
        assert!(
            seen.insert((block.ident.to_string(), labels.clone())),
            "{labels:?} twice:\n{tf}"
        );
        if labels.first().map(String::as_str) == Some("aws_iam_role") {
            roles.push(labels[1].clone());
        }
    }
    assert_eq!(roles, ["team_app", "team_app_2"]);
    // The second role's references name its own resources.
    assert!(
        tf.contains("role       = aws_iam_role.team_app_2.name"),
        "{tf}"
    );
    assert_eq!(
        tf.matches("resource \"aws_iam_openid_connect_provider\"")
            .count(),
        1
    );
    assert_eq!(
        tf.matches("aws_iam_openid_connect_provider.cluster.arn")
            .count(),
        2
    );
}

#[test]
fn json_kinds_are_one_array() {
    let (code, text, err) = only(TWO, "trust-policy");
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let entries = v.as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[1]["roleName"], "team_app");
    assert_eq!(entries[1]["file"], "team-b/app/trust-policy.json");
    assert_eq!(entries[0]["document"]["Version"], "2012-10-17");
    // Only the bindings that have the document.
    let (_, text, _) = only(TWO, "permissions-policy");
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 1);
}

#[test]
fn templates_hold_every_role() {
    let (code, text, err) = only(TWO, "cloudformation-json");
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    let (code, text, err) = only(TWO, "cloudformation");
    assert_eq!(code, 0, "{err}");
    let yaml: serde_json::Value = serde_yaml_ng::from_str(&text).unwrap();
    assert_eq!(json, yaml);
    let resources = json["Resources"].as_object().unwrap();
    let names: Vec<&str> = resources.keys().map(String::as_str).collect();
    assert_eq!(names, ["OidcProvider", "Role1", "Role2"]);
    assert_eq!(
        json["Resources"]["Role2"]["Properties"]["RoleName"],
        "team_app"
    );
    let principal = &json["Resources"]["Role1"]["Properties"]["AssumeRolePolicyDocument"]
        ["Statement"][0]["Principal"];
    assert_eq!(principal["Federated"]["Ref"], "OidcProvider");
    assert!(json["Outputs"]["Role2Arn"].is_object());
}

#[test]
fn other_scripts_run_every_binding_in_turn() {
    let pod_identity = TWO.replace("createOidcProvider: true", "identityType: pod-identity");
    let (code, script, err) = only(&pod_identity, "pod-identity");
    assert_eq!(code, 0, "{err}");
    bash_n("pod-identity", &script);
    let log = run_stubbed("pod-identity", &script);
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("aws eks create-pod-identity-association"))
            .count(),
        2,
        "{log}"
    );
    let (code, script, err) = only(TWO, "eksctl");
    assert_eq!(code, 0, "{err}");
    bash_n("eksctl", &script);
    let log = run_stubbed("eksctl", &script);
    assert_eq!(
        log.lines()
            .filter(|l| l.starts_with("eksctl create iamserviceaccount"))
            .count(),
        2,
        "{log}"
    );
}

#[test]
fn kinds_one_file_cannot_hold_are_refused() {
    for kind in ["helm-values", "eksctl-cluster"] {
        let (code, out, err) = only(TWO, kind);
        assert_eq!(code, 2, "{kind}: {out}");
        assert!(out.is_empty());
        assert!(err.contains("--output-dir"), "{kind}: {err}");
    }
    // One binding: the file itself.
    let one = TWO.split("  - namespace: team-b").next().unwrap();
    let (code, out, _) = only(one, "helm-values");
    assert_eq!(code, 0);
    assert!(out.starts_with("serviceAccount:"), "{out}");
}

/// identityType both trusts the OIDC providers too: main.tf looks them up
/// (or creates them) and the template takes their ARN, as for IRSA.
#[test]
fn both_refers_to_the_provider_in_every_format() {
    let both = TWO.replace("createOidcProvider: true", "identityType: both");
    let (code, tf, err) = only(&both, "main");
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        tf.matches("data \"aws_iam_openid_connect_provider\" \"cluster\"")
            .count(),
        1,
        "{tf}"
    );
    assert_eq!(
        tf.matches("Federated = data.aws_iam_openid_connect_provider.cluster.arn")
            .count(),
        2,
        "{tf}"
    );
    assert_eq!(
        tf.matches("resource \"aws_eks_pod_identity_association\"")
            .count(),
        2,
        "{tf}"
    );
    let (code, text, err) = only(&both, "cloudformation-json");
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert!(json["Parameters"]["OidcProviderArn"].is_object(), "{text}");
    let (code, script, err) = only(&both, "setup");
    assert_eq!(code, 0, "{err}");
    assert!(
        script.contains("aws iam get-open-id-connect-provider"),
        "{script}"
    );
}
