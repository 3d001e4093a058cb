//! A synthetic organisation's repository, the shape linking must scale to:
//! trust policies and ServiceAccounts of many teams on several clusters.
//!
//! Trust `i` (of namespace `team-{i/10}`, on cluster `i/1000`) lets in
//! `app-{i}` exactly, except one in a hundred that is open (no `sub`
//! condition, or `system:serviceaccount:*`) and twenty in a hundred that are
//! StringLike patterns of their namespace (`system:serviceaccount:team-N:app-*`).
//! ServiceAccount `j` is `team-{j/10}/app-{j}`; every one is admitted by its
//! own trust or its namespace's pattern, except one in a hundred that asks
//! for the audience `vault`, which no trust names (IRSA302).

/// One file of the organisation: name and text.
pub type File = (String, String);

fn issuer(cluster: usize) -> String {
    format!("oidc.eks.us-west-2.amazonaws.com/id/{cluster:032X}")
}

/// What trust `i` asks of `sub`: the condition block's JSON.
fn conditions(i: usize, iss: &str) -> String {
    let ns = i / 10;
    let aud = format!("\"{iss}:aud\": \"sts.amazonaws.com\"");
    match i % 100 {
        0 if i.is_multiple_of(200) => format!("{{\"StringEquals\": {{{aud}}}}}"),
        0 => format!(
            "{{\"StringEquals\": {{{aud}}}, \"StringLike\": {{\"{iss}:sub\": \"system:serviceaccount:*\"}}}}"
        ),
        1..=20 => format!(
            "{{\"StringEquals\": {{{aud}}}, \"StringLike\": {{\"{iss}:sub\": \"system:serviceaccount:team-{ns}:app-*\"}}}}"
        ),
        _ => format!(
            "{{\"StringEquals\": {{{aud}, \"{iss}:sub\": \"system:serviceaccount:team-{ns}:app-{i}\"}}}}"
        ),
    }
}

/// Trust policy `i`, as `roles/role-{i}.json`.
pub fn trust(i: usize) -> File {
    let iss = issuer(i / 1000);
    let text = format!(
        "{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [{{\n    \"Effect\": \"Allow\",\n    \"Principal\": {{\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/{iss}\"}},\n    \"Action\": \"sts:AssumeRoleWithWebIdentity\",\n    \"Condition\": {}\n  }}]\n}}\n",
        conditions(i, &iss)
    );
    (format!("roles/role-{i:05}.json"), text)
}

/// ServiceAccount `j`, one YAML document.
fn service_account(j: usize) -> String {
    let audience = if j % 100 == 50 {
        "\n    eks.amazonaws.com/audience: vault"
    } else {
        ""
    };
    format!(
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: app-{j}\n  namespace: team-{}\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-{j}{audience}\n",
        j / 10
    )
}

/// `trusts` trust policies, one file each, and `service_accounts`
/// ServiceAccounts, one file per namespace (ten a file).
pub fn files(trusts: usize, service_accounts: usize) -> Vec<File> {
    let mut files: Vec<File> = (0..trusts).map(trust).collect();
    for ns in 0..service_accounts.div_ceil(10) {
        let docs: Vec<String> = (ns * 10..(ns * 10 + 10).min(service_accounts))
            .map(service_account)
            .collect();
        files.push((
            format!("k8s/team-{ns:04}/serviceaccounts.yaml"),
            docs.join("---\n"),
        ));
    }
    files
}

/// How many of `service_accounts` ask for the audience no trust names.
pub fn wrong_audience(service_accounts: usize) -> usize {
    (0..service_accounts).filter(|j| j % 100 == 50).count()
}
