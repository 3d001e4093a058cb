//! A binding's permissions: managed policy ARNs (SPEC032), the S3, Secrets
//! Manager, DynamoDB and SQS grants (SPEC040-SPEC043) and the statements
//! written as IAM JSON (SPEC044); add-ons are in `addons.rs`.

use crate::addons::AddonInput;
use crate::aws::{self, Partition};
use crate::source::FieldPath;
use crate::spec::Permissions;

use super::addons::check_addons;
use super::report::Report;

/// Every grant of `permissions`, add-ons first (their managed policies count
/// towards the role's 20), checked on the permissions as generation will
/// read them ([`normalised`]), which it returns.
pub(super) fn check_permissions(
    r: &mut Report,
    p: &FieldPath,
    perms: &Permissions,
    partition: Partition,
    cluster_name: Option<&str>,
) -> Permissions {
    let perms = &normalised(perms);
    check_addons(r, &p.key("addons"), perms, partition, cluster_name);
    check_managed(r, p, perms, partition);
    check_s3(r, p, perms);
    check_secrets_manager(r, p, perms, partition);
    check_dynamodb(r, p, perms);
    check_sqs(r, p, perms);
    check_statements(r, p, perms);
    perms.clone()
}

/// The permissions with the values that are names and ARNs trimmed, once,
/// so that nothing after validation trims again (every check below reads
/// them trimmed, and its messages quote them so).
fn normalised(perms: &Permissions) -> Permissions {
    fn trim(v: &mut String) {
        let t = v.trim();
        if t.len() != v.len() {
            *v = t.to_string();
        }
    }
    let mut p = perms.clone();
    p.managed_policy_arns.iter_mut().for_each(trim);
    p.secrets_manager
        .iter_mut()
        .for_each(|g| trim(&mut g.secret));
    for g in &mut p.addons {
        trim(&mut g.name);
        for input in AddonInput::ALL {
            g.input_mut(input).iter_mut().for_each(trim);
        }
    }
    p
}

/// `managedPolicyArns` (SPEC032): ARNs of this partition, at most 20 with the add-ons'.
fn check_managed(r: &mut Report, p: &FieldPath, perms: &Permissions, partition: Partition) {
    for (i, arn) in perms.managed_policy_arns.iter().enumerate() {
        if let Some(problem) = aws::policy_arn_problem(arn.trim(), partition) {
            r.error("SPEC032", &p.key("managedPolicyArns").index(i), problem, format!("use a policy ARN such as arn:{partition}:iam::aws:policy/AmazonS3ReadOnlyAccess"));
        }
    }
    let managed = crate::documents::managed_policy_arns(perms, partition).len();
    if managed > 20 {
        r.error(
            "SPEC032",
            &p.key("managedPolicyArns"),
            format!(
                "{managed} managed policies (with those of add-ons); a role can have at most 20 attached"
            ),
            "combine permissions into fewer policies",
        );
    }
}

/// `s3` (SPEC040): bucket names as S3 allows them, prefixes usable in an ARN.
fn check_s3(r: &mut Report, p: &FieldPath, perms: &Permissions) {
    for (i, g) in perms.s3.iter().enumerate() {
        let gp = p.key("s3").index(i);
        if let Some(problem) = bucket_problem(&g.bucket) {
            r.error("SPEC040", &gp.key("bucket"), format!("bucket `{}` {problem}", g.bucket), "S3 bucket names are 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit");
        }
        if let Some(prefix) = &g.prefix {
            if !aws::is_policy_text(prefix)
                || prefix.contains(['*', '?', '$'])
                || prefix.starts_with('/')
            {
                r.error("SPEC040", &gp.key("prefix"), format!("prefix `{}` cannot be used in a policy", prefix.escape_default()), "use a plain key prefix such as uploads/ (no leading `/`, no `*`, `?` or `$`, no control characters)");
            }
        }
    }
}

/// `secretsManager` (SPEC041): a secret name, or an ARN of this partition.
fn check_secrets_manager(r: &mut Report, p: &FieldPath, perms: &Permissions, partition: Partition) {
    for (i, g) in perms.secrets_manager.iter().enumerate() {
        let s = g.secret.trim();
        let ok = if s.starts_with("arn:") {
            aws::Arn::parse(s).is_some_and(|a| {
                a.partition == partition.as_str()
                    && a.service == "secretsmanager"
                    && a.resource.starts_with("secret:")
            })
        } else {
            (1..=512).contains(&s.len())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_+=.@-".contains(c))
        };
        if !ok {
            r.error(
                "SPEC041",
                &p.key("secretsManager").index(i).key("secret"),
                format!(
                    "secret `{}` is not a secret name or a Secrets Manager ARN of this partition",
                    s.escape_default()
                ),
                "use the secret's name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -) or its full ARN",
            );
        }
    }
}

/// `dynamodb` (SPEC042): table names as DynamoDB allows them.
fn check_dynamodb(r: &mut Report, p: &FieldPath, perms: &Permissions) {
    for (i, g) in perms.dynamodb.iter().enumerate() {
        let t = &g.table;
        if !(3..=255).contains(&t.len())
            || !t
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_.-".contains(c))
        {
            r.error(
                "SPEC042",
                &p.key("dynamodb").index(i).key("table"),
                format!(
                    "table `{}` is not a valid DynamoDB table name",
                    t.escape_default()
                ),
                "table names are 3 to 255 of A-Z a-z 0-9 _ . -",
            );
        }
    }
}

/// `sqs` (SPEC043): queue names as SQS allows them.
fn check_sqs(r: &mut Report, p: &FieldPath, perms: &Permissions) {
    for (i, g) in perms.sqs.iter().enumerate() {
        let q = &g.queue;
        let base = q.strip_suffix(".fifo").unwrap_or(q);
        if !(1..=80).contains(&q.len())
            || base.is_empty()
            || !base
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "_-".contains(c))
        {
            r.error(
                "SPEC043",
                &p.key("sqs").index(i).key("queue"),
                format!(
                    "queue `{}` is not a valid SQS queue name",
                    q.escape_default()
                ),
                "queue names are 1 to 80 of A-Z a-z 0-9 _ -, optionally ending in .fifo",
            );
        }
    }
}

/// The first character of a statement's keys and strings outside IAM's policy
/// character set. The decoded strings, not their JSON text: the text of
/// `"\u0000"` is six printable characters, but the policy holds a NUL, which
/// every format passes on to IAM.
fn first_non_policy_char(v: &serde_json::Value) -> Option<char> {
    let in_text = |s: &str| s.chars().find(|c| !aws::is_policy_char(*c));
    match v {
        serde_json::Value::String(s) => in_text(s),
        serde_json::Value::Array(items) => items.iter().find_map(first_non_policy_char),
        serde_json::Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| in_text(k).or_else(|| first_non_policy_char(v))),
        _ => None,
    }
}

/// `statements` (SPEC044): IAM statements IAM would accept in a permissions policy.
fn check_statements(r: &mut Report, p: &FieldPath, perms: &Permissions) {
    for (i, st) in perms.statements.iter().enumerate() {
        let sp = p.key("statements").index(i);
        let Some(obj) = st.as_object() else {
            r.error(
                "SPEC044",
                &sp,
                "a statement must be a mapping with Effect, Action and Resource",
                "write it as in an IAM policy: {Effect: Allow, Action: [...], Resource: ...}",
            );
            continue;
        };
        if !matches!(
            obj.get("Effect").and_then(|e| e.as_str()),
            Some("Allow" | "Deny")
        ) {
            r.error(
                "SPEC044",
                &sp.key("Effect"),
                "Effect must be `Allow` or `Deny`",
                "add Effect: Allow",
            );
        }
        if !obj.contains_key("Action") && !obj.contains_key("NotAction") {
            r.error(
                "SPEC044",
                &sp.key("Action"),
                "the statement has no Action",
                "list the actions, e.g. Action: [s3:GetObject]",
            );
        }
        if !obj.contains_key("Resource") && !obj.contains_key("NotResource") {
            r.error(
                "SPEC044",
                &sp.key("Resource"),
                "the statement has no Resource",
                "name the resources, or `*` where the action takes none",
            );
        }
        if obj.contains_key("Principal") || obj.contains_key("NotPrincipal") {
            r.error(
                "SPEC044",
                &sp.key("Principal"),
                "a permissions policy statement must not have a Principal",
                "remove Principal: the role is the principal",
            );
        }
        if let Some(c) = first_non_policy_char(st) {
            r.error(
                "SPEC044",
                &sp,
                format!(
                    "the statement contains `{}`, which IAM does not accept in a policy",
                    c.escape_default()
                ),
                "use only tab, newline and characters U+0020 to U+00FF",
            );
        }
    }
}

/// Why a bucket name is not one S3 allows, if it is not.
fn bucket_problem(b: &str) -> Option<String> {
    if !(3..=63).contains(&b.len()) {
        let plural = if b.len() == 1 { "" } else { "s" };
        return Some(format!(
            "is {} character{plural} long; bucket names are 3 to 63",
            b.len()
        ));
    }
    if let Some(c) = b
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(if c.is_ascii_uppercase() {
            "contains upper-case letters, which bucket names never have".into()
        } else {
            format!("contains `{c}`")
        });
    }
    if !b.starts_with(|c: char| c.is_ascii_alphanumeric())
        || !b.ends_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Some("must start and end with a letter or digit".into());
    }
    if b.contains("..") || b.contains(".-") || b.contains("-.") {
        return Some("has `..`, `.-` or `-.`".into());
    }
    if b.split('.').count() == 4 && b.split('.').all(|p| p.parse::<u8>().is_ok()) {
        return Some("looks like an IP address".into());
    }
    None
}
