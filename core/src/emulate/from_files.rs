//! The account of the files people already have (what `check` reads): trust
//! policies, `aws iam get-role` output (a role with its trust), ServiceAccounts
//! with their role annotations, and `aws eks describe-pod-identity-association`
//! output. A bare trust policy says nothing of its role: it belongs to the role
//! named for its file (`--role ARN=FILE`), or to the one role that the
//! ServiceAccounts in its directory name (the layout `generate --output-dir`
//! writes). The clusters are the issuer given, or the providers the trusts name.
//! Files of a type the lab does not read (Terraform, scripts, documentation, by
//! name or first line) are passed over.

use std::collections::BTreeSet;

use super::account::{
    Account, Association, Bound, Mode, Provider, Role, DEFAULT_MAX_SESSION_DURATION,
};
use crate::aws::Issuer;
use crate::aws::POD_IDENTITY_PRINCIPAL;
use crate::check::SourceFile;
use crate::diagnostic::Diagnostic;
use crate::filetype;
use crate::kube;
use crate::rules::diagnostic;
use crate::source::{self, Limits, Node};
use crate::trust::{self, Policy};

/// How to read the files.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileOptions {
    /// Bare trust policies' roles: (role ARN, file name as given).
    pub roles: Vec<(String, String)>,
    /// The cluster's issuer URL; without it, every provider the trusts name is a cluster.
    pub issuer: Option<String>,
}

/// The region pods run in when no issuer says it.
const FALLBACK_REGION: &str = "us-east-1";

#[derive(Default)]
struct Found {
    roles: Vec<Role>,
    bare: Vec<(String, Policy)>,
    service_accounts: Vec<(String, Bound)>,
    associations: Vec<Association>,
}

fn dir_of(file: &str) -> &str {
    file.rsplit_once('/').map_or("", |(d, _)| d)
}

fn text<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_text)
}

fn role(arn: &str, trust: Policy, max: Option<i64>) -> Option<Role> {
    let (partition, account, name) = super::account::parse_role_arn(arn)?;
    Some(Role {
        arn: arn.to_string(),
        name,
        account,
        partition,
        id: String::new(),
        trust,
        max_session_duration: max.unwrap_or(DEFAULT_MAX_SESSION_DURATION),
    })
}

fn classify(file: &str, root: &Node, found: &mut Found, diags: &mut Vec<Diagnostic>, depth: usize) {
    if let Some(r) = root
        .get("Role")
        .filter(|r| r.get("AssumeRolePolicyDocument").is_some())
    {
        let arn = text(r, "Arn").unwrap_or_default();
        let doc = r.get("AssumeRolePolicyDocument");
        let parsed = match doc.and_then(Node::as_text) {
            // The API's own output URL-encodes the document; the CLI's decodes it.
            Some(encoded) => crate::eval::parse_trust_text(&crate::check::url_decode(encoded)).ok(),
            None => doc.and_then(|d| trust::parse_policy(d).ok()),
        };
        let max = r
            .get("MaxSessionDuration")
            .and_then(Node::as_text)
            .and_then(|m| m.parse().ok());
        match parsed.and_then(|p| role(arn, p, max)) {
            Some(role) => found.roles.push(role),
            None => diags.push(
                diagnostic(
                    "IRSA403",
                    format!("the role `{arn}` has no readable trust policy or is not a role ARN"),
                )
                .at(r.span)
                .in_file(Some(file)),
            ),
        }
        return;
    }
    if let Some(a) = root.get("association") {
        let field = |k: &str| text(a, k).unwrap_or_default().to_string();
        found.associations.push(Association {
            cluster: field("clusterName"),
            region: String::new(),
            issuer: String::new(),
            namespace: field("namespace"),
            service_account: field("serviceAccount"),
            role_arn: field("roleArn"),
        });
        return;
    }
    if trust::looks_like_policy(root) {
        match trust::parse_policy(root) {
            // Permissions policies beside the trust are not the lab's business.
            Ok(p) if crate::check::is_trust(&p) => found.bare.push((file.to_string(), p)),
            Ok(_) => {}
            Err(e) => diags.push(
                diagnostic("IRSA001", format!("not a policy document: {}", e.message))
                    .at(e.span)
                    .in_file(Some(file)),
            ),
        }
        return;
    }
    match root.get("kind").and_then(Node::as_str) {
        Some("List") if depth < 4 => {
            for item in root.get("items").and_then(Node::as_seq).unwrap_or(&[]) {
                classify(file, item, found, diags, depth + 1);
            }
        }
        Some("ServiceAccount") => service_account(file, root, found),
        _ => {}
    }
}

fn service_account(file: &str, root: &Node, found: &mut Found) {
    let meta = root.get("metadata");
    let annotations: Vec<(String, String)> = meta
        .and_then(|m| m.get("annotations"))
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|(k, v)| Some((k.as_text()?.to_string(), v.as_text()?.to_string())))
        .collect();
    let annotation = |key: &str| {
        annotations
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.trim().to_string())
    };
    let Some(role_arn) = annotation(kube::ROLE_ARN) else {
        return;
    };
    let name = meta
        .and_then(|m| text(m, "name"))
        .unwrap_or_default()
        .to_string();
    let namespace = meta
        .and_then(|m| text(m, "namespace"))
        .unwrap_or("default")
        .to_string();
    found.service_accounts.push((
        file.to_string(),
        Bound {
            namespace,
            service_account: name,
            role_arn,
            audience: annotation(kube::AUDIENCE)
                .unwrap_or_else(|| kube::DEFAULT_AUDIENCE.to_string()),
            issuer: String::new(),
            mode: Mode::Irsa,
            region: String::new(),
            annotations: annotations.clone(),
        },
    ));
}

/// A document the lab cannot place (IRSA403), with the lab's fix.
fn unlinked(message: String, file: Option<&str>) -> Diagnostic {
    let mut d = diagnostic("IRSA403", message).in_file(file);
    d.help = "name each trust policy's role with --role ARN=FILE, or read `aws iam get-role` output, which carries both".into();
    d
}

/// The role a bare trust belongs to, or why none.
fn owner(file: &str, found: &Found, options: &FileOptions) -> Result<String, String> {
    if let Some((arn, _)) = options.roles.iter().find(|(_, f)| f == file) {
        return Ok(arn.clone());
    }
    let named: BTreeSet<&str> = found
        .service_accounts
        .iter()
        .filter(|(f, _)| dir_of(f) == dir_of(file))
        .map(|(_, b)| b.role_arn.as_str())
        .collect();
    match named.into_iter().collect::<Vec<_>>().as_slice() {
        [one] => Ok((*one).to_string()),
        [] => Err(format!("the trust policy in {file} belongs to no role: pass --role ARN={file}, or put it beside the ServiceAccount that names its role")),
        many => Err(format!("the ServiceAccounts beside {file} name {} roles: pass --role ARN={file}", many.len())),
    }
}

/// The account of a set of files.
pub fn from_files(files: &[SourceFile], options: &FileOptions) -> Result<Account, Vec<Diagnostic>> {
    let mut found = Found::default();
    let mut diags = Vec::new();
    for f in files {
        // Terraform, scripts and docs hold no document the lab reads (check
        // judges them; the lab needs trusts, roles and ServiceAccounts), and
        // `generate --output-dir` writes `main.tf` and `setup.sh` beside the
        // trust: read as YAML they would stop the lab with a syntax error.
        if filetype::by_name(&f.name)
            .or_else(|| filetype::by_content(&f.text))
            .is_some()
        {
            continue;
        }
        match source::parse_documents(&f.text, &Limits::default()) {
            Ok(docs) => docs
                .iter()
                .for_each(|d| classify(&f.name, &d.root, &mut found, &mut diags, 0)),
            Err(e) => diags.push(
                diagnostic("IRSA401", e.to_string())
                    .at(e.span())
                    .in_file(Some(&f.name)),
            ),
        }
    }
    for (file, policy) in std::mem::take(&mut found.bare) {
        match owner(&file, &found, options)
            .and_then(|arn| role(&arn, policy, None).ok_or(format!("`{arn}` is not a role ARN")))
        {
            Ok(r) if found.roles.iter().any(|o| o.arn == r.arn) => {
                diags.push(unlinked(
                    format!(
                        "a second trust policy for {} in {file}: a role has one",
                        r.arn
                    ),
                    Some(&file),
                ));
            }
            Ok(r) => found.roles.push(r),
            Err(e) => diags.push(unlinked(e, Some(&file))),
        }
    }
    if !diags.is_empty() {
        return Err(diags);
    }
    let issuers = cluster_issuers(&found, options).map_err(|e| vec![unlinked(e, None)])?;
    Ok(assemble(found, issuers))
}

/// A cluster's issuer (host and path) and the (partition, account) pairs with a provider for it.
type ClusterProviders = (String, Vec<(String, String)>);

/// The clusters' issuers and where their providers are.
fn cluster_issuers(found: &Found, options: &FileOptions) -> Result<Vec<ClusterProviders>, String> {
    let role_accounts: BTreeSet<(String, String)> = found
        .roles
        .iter()
        .map(|r| (r.partition.clone(), r.account.clone()))
        .collect();
    if let Some(url) = &options.issuer {
        let issuer = Issuer::parse(url)?;
        return Ok(vec![(
            issuer.host_path,
            role_accounts.into_iter().collect(),
        )]);
    }
    let mut out: Vec<ClusterProviders> = Vec::new();
    for statement in found.roles.iter().flat_map(|r| r.trust.statements.iter()) {
        for p in statement
            .federated()
            .filter_map(|p| trust::provider(&p.value.value))
        {
            let at = (p.partition.clone(), p.account.clone());
            match out
                .iter_mut()
                .find(|(i, _)| i.eq_ignore_ascii_case(&p.host_path))
            {
                Some((_, accounts)) if !accounts.contains(&at) => accounts.push(at),
                Some(_) => {}
                None => out.push((p.host_path.clone(), vec![at])),
            }
        }
    }
    if out.is_empty() {
        if let Some(a) = found.associations.first() {
            out.push((format!("eks/{}", a.cluster), Vec::new()));
        }
    }
    if out.is_empty() && !found.service_accounts.is_empty() {
        return Err(
            "no trust names an OIDC provider: pass --issuer with the cluster's issuer URL".into(),
        );
    }
    Ok(out)
}

fn assemble(found: Found, issuers: Vec<ClusterProviders>) -> Account {
    let primary = issuers.first().map(|(i, _)| i.clone()).unwrap_or_default();
    let region = Issuer::parse(&primary)
        .ok()
        .and_then(|i| i.region)
        .unwrap_or_else(|| FALLBACK_REGION.to_string());
    let audiences: BTreeSet<String> = std::iter::once(kube::DEFAULT_AUDIENCE.to_string())
        .chain(
            found
                .service_accounts
                .iter()
                .map(|(_, b)| b.audience.clone()),
        )
        .collect();
    let providers = issuers
        .iter()
        .flat_map(|(issuer, accounts)| {
            accounts.iter().map(|(partition, account)| Provider {
                account: account.clone(),
                partition: partition.clone(),
                issuer: issuer.clone(),
                client_ids: audiences.iter().cloned().collect(),
            })
        })
        .collect();
    let mut bound: Vec<Bound> = found
        .service_accounts
        .into_iter()
        .map(|(_, b)| Bound {
            issuer: primary.clone(),
            region: region.clone(),
            ..b
        })
        .collect();
    let associations: Vec<Association> = found
        .associations
        .into_iter()
        .map(|a| Association {
            issuer: primary.clone(),
            region: region.clone(),
            ..a
        })
        .collect();
    for a in &associations {
        bound.push(Bound {
            namespace: a.namespace.clone(),
            service_account: a.service_account.clone(),
            role_arn: a.role_arn.clone(),
            audience: POD_IDENTITY_PRINCIPAL.to_string(),
            issuer: primary.clone(),
            mode: Mode::PodIdentity,
            region: region.clone(),
            annotations: Vec::new(),
        });
    }
    Account {
        roles: found.roles,
        providers,
        associations,
        bound,
        issuers: issuers.into_iter().map(|(i, _)| i).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"},"Action":"sts:AssumeRoleWithWebIdentity","Condition":{"StringEquals":{"oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub":"system:serviceaccount:production:s3-writer"}}}]}"#;
    const SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-writer\n  namespace: production\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/S3WriterRole\n";

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn a_trust_beside_its_service_account() {
        let permissions = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}"#;
        let a = from_files(
            &[
                file("out/permissions-policy.json", permissions),
                file("out/trust-policy.json", TRUST),
                file("out/serviceaccount.yaml", SA),
            ],
            &FileOptions::default(),
        )
        .unwrap();
        assert_eq!(a.roles.len(), 1);
        assert_eq!(
            a.roles[0].arn,
            "arn:aws:iam::123456789012:role/S3WriterRole"
        );
        assert_eq!(
            a.providers[0].issuer,
            "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
        );
        assert_eq!(a.bound[0].region, "ap-south-1");
        // Elsewhere, it needs --role.
        let e = from_files(
            &[file("a/trust.json", TRUST), file("b/sa.yaml", SA)],
            &FileOptions::default(),
        )
        .unwrap_err();
        assert!(e[0].message.contains("--role ARN=a/trust.json"), "{:?}", e);
        let roles = vec![(
            "arn:aws:iam::123456789012:role/S3WriterRole".to_string(),
            "a/trust.json".to_string(),
        )];
        assert!(from_files(
            &[file("a/trust.json", TRUST), file("b/sa.yaml", SA)],
            &FileOptions {
                roles,
                issuer: None
            }
        )
        .is_ok());
    }

    #[test]
    fn get_role_output_and_associations() {
        let role = format!(
            r#"{{"Role":{{"RoleName":"R","Arn":"arn:aws:iam::123456789012:role/R","MaxSessionDuration":7200,"AssumeRolePolicyDocument":{TRUST}}}}}"#
        );
        let assoc = r#"{"association":{"clusterName":"c","namespace":"production","serviceAccount":"app","roleArn":"arn:aws:iam::123456789012:role/R"}}"#;
        let a = from_files(
            &[file("role.json", &role), file("assoc.json", assoc)],
            &FileOptions::default(),
        )
        .unwrap();
        assert_eq!(a.roles[0].max_session_duration, 7200);
        assert_eq!(a.associations[0].cluster, "c");
        assert_eq!(a.bound[0].mode, Mode::PodIdentity);
    }
}
