//! Linking ServiceAccounts to trusts at scale (issue 21, issue 14): the index
//! finds each ServiceAccount's candidates, so a whole organisation links
//! without IRSA402, and only a pathological set reaches the work limit, which
//! then names what it skipped. Asserted on work counts, never on time
//! (`cargo run --release -p irsa-tests --example bench_link` prints times).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use irsa_core::check::{check_report, CheckOptions, Report, SourceFile};
use irsa_core::source::Limits;
use irsa_tests::organisation;

fn check(files: Vec<(String, String)>) -> Report {
    let files: Vec<SourceFile> = files
        .into_iter()
        .map(|(name, text)| SourceFile { name, text })
        .collect();
    check_report(&files, &CheckOptions::default())
}

fn count(r: &Report, code: &str) -> usize {
    r.diagnostics.iter().filter(|d| d.code == code).count()
}

/// 10,000 trusts (20% namespace patterns, 1% open) and 10,000
/// ServiceAccounts link completely, with a few evaluations each.
#[test]
fn an_organisation_of_10000_trusts_links_completely() {
    let r = check(organisation::files(10_000, 10_000));
    let w = r.links;
    assert_eq!(count(&r, "IRSA402"), 0);
    assert_eq!((w.service_accounts, w.skipped), (10_000, 0));
    // Every ServiceAccount is admitted but the hundred asking for `vault`.
    assert_eq!(count(&r, "IRSA301"), 0);
    assert_eq!(count(&r, "IRSA302"), organisation::wrong_audience(10_000));
    // Indexed: a ServiceAccount meets its own trust, its namespace's patterns
    // and the hundred open trusts, not the 10,000.
    assert!(w.candidates <= 10_000 * 104, "{w:?}");
    assert!(w.evaluations <= 10_000 * 2, "{w:?}");
    assert!(
        w.total() <= CheckOptions::default().max_link_work / 4,
        "{w:?}"
    );
}

/// Before the index every pattern trust was evaluated against every
/// ServiceAccount: 4,500 of each in one file took 220 s, then stopped at the
/// old cap of 200,000 evaluations. Patterns with a literal namespace are now
/// candidates only in it: nothing is evaluated, every link is checked.
#[test]
fn pattern_trusts_of_other_namespaces_are_not_candidates() {
    let issuer = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    let n = 4_500;
    let mut docs = Vec::new();
    for i in 0..n {
        docs.push(format!(
            "Version: \"2012-10-17\"\nStatement:\n  - Effect: Allow\n    Principal: {{Federated: \"arn:aws:iam::111122223333:oidc-provider/{issuer}\"}}\n    Action: sts:AssumeRoleWithWebIdentity\n    Condition:\n      StringLike:\n        \"{issuer}:sub\": \"system:serviceaccount:ns{i}:*\"\n        \"{issuer}:aud\": sts.amazonaws.com\n"
        ));
    }
    for i in 0..n {
        docs.push(format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa{i}\n  namespace: other{i}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/r{i}\n"));
    }
    let text = docs.join("---\n");
    assert!(text.len() < Limits::default().max_bytes);
    let r = check(vec![("quad.yaml".into(), text)]);
    assert_eq!(count(&r, "IRSA402"), 0);
    assert_eq!(count(&r, "IRSA301"), n);
    assert_eq!((r.links.candidates, r.links.evaluations), (0, 0));
    assert_eq!(r.links.skipped, 0);
}

/// Regression (issue 14): one trust of 90,000 patterns open to every
/// namespace against 4,000 ServiceAccounts took over 300 s, because the cap
/// counted evaluations, not the patterns each one matches. The work limit
/// counts them: linking stops below it and names the ServiceAccounts left.
#[test]
fn a_trust_of_90000_patterns_stops_at_the_work_limit() {
    let issuer = "oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
    let patterns: Vec<String> = (0..90_000)
        .map(|k| format!("\"system:serviceaccount:*:x{k}\""))
        .collect();
    let trust = format!(
        "{{\"Version\":\"2012-10-17\",\"Statement\":[{{\"Effect\":\"Allow\",\"Principal\":{{\"Federated\":\"arn:aws:iam::111122223333:oidc-provider/{issuer}\"}},\"Action\":\"sts:AssumeRoleWithWebIdentity\",\"Condition\":{{\"StringEquals\":{{\"{issuer}:aud\":\"sts.amazonaws.com\"}},\"StringLike\":{{\"{issuer}:sub\":[{}]}}}}}}]}}",
        patterns.join(",")
    );
    let sas: Vec<String> = (0..4_000)
        .map(|i| format!("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: sa{i}\n  namespace: ns{i}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/r{i}\n"))
        .collect();
    let r = check(vec![
        ("trust.json".into(), trust),
        ("sas.yaml".into(), sas.join("---\n")),
    ]);
    let max = CheckOptions::default().max_link_work;
    let w = r.links;
    assert!(w.total() <= max, "{w:?}");
    // Each evaluation matches the 90,000 patterns.
    assert!(w.pattern_steps >= w.evaluations * 90_000, "{w:?}");
    assert_eq!(w.service_accounts, 4_000);
    let checked = 4_000 - w.skipped;
    assert!(checked > 0 && w.skipped > 3_900, "{w:?}");
    assert_eq!(count(&r, "IRSA301"), checked);
    let limit: Vec<_> = r
        .diagnostics
        .iter()
        .filter(|d| d.code == "IRSA402")
        .collect();
    let [d] = limit.as_slice() else {
        panic!("{limit:#?}")
    };
    assert_eq!(
        d.message,
        format!(
            "linking ServiceAccounts to trust policies stopped at the limit of {max} steps of work: IRSA301 and IRSA302 were not checked for {} of 4000 ServiceAccounts (`ns{checked}/sa{checked}`, `ns{}/sa{}`, `ns{}/sa{}`, {} more)",
            w.skipped,
            checked + 1,
            checked + 1,
            checked + 2,
            checked + 2,
            w.skipped - 3
        )
    );
}
