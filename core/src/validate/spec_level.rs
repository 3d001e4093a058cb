//! The spec's own fields (account, region, cluster name, audience, token
//! settings, the trust size limit) and the loop over its bindings, with the
//! checks that compare bindings with each other (SPEC023, SPEC030).

use indexmap::IndexMap;

use crate::aws::{self, Partition};
use crate::diagnostic::has_errors;
use crate::kube;
use crate::source::FieldPath;
use crate::spec::{IdentityType, Spec};

use super::report::{Purpose, Report};
use super::{binding, issuer, quotas};
use super::{Binding, ValidSpec, Validated, DEFAULT_MAX_TRUST_POLICY_LENGTH};

impl Spec {
    /// Validates the spec: every problem at once; a [`ValidSpec`] only when none is an error.
    pub fn validate(&self) -> Validated {
        self.validate_for(Purpose::Generate)
    }

    /// Validates the spec for `purpose` (a migration plans Pod Identity
    /// across accounts, which generation refuses: SPEC066).
    pub fn validate_for(&self, purpose: Purpose) -> Validated {
        let mut r = Report {
            diagnostics: Vec::new(),
            purpose,
        };
        let root = FieldPath::root();
        let spec = self.check(&mut r, &root);
        if let Some(spec) = &spec {
            quotas::check_quotas(&mut r, &root, spec);
        }
        let spec = if has_errors(&r.diagnostics) {
            None
        } else {
            spec
        };
        Validated {
            spec,
            diagnostics: r.diagnostics,
        }
    }

    /// Every field in the order of the spec; `None` when the account is missing.
    fn check(&self, r: &mut Report, root: &FieldPath) -> Option<ValidSpec> {
        if *self == Spec::default() {
            r.error("SPEC004", root, "the spec is empty", "set at least accountId, region, cluster and one binding; `irsa-gen init` prints a starter");
            return None;
        }
        let identity_type = self.identity_type.unwrap_or_default();
        let account_id = self.check_account_id(r, root);
        let cluster_account_id = self.check_cluster_account_id(r, root);
        let region = self.check_region(r, root);
        let partition = Partition::of_region(region);
        let issuers = issuer::check_issuers(r, root, self, identity_type, region);
        let cluster_name = self.check_cluster_name(r, root, identity_type);
        let audience = self.check_audience(r, root, identity_type);
        let token_expiration = self.check_token_expiration(r, root, identity_type);
        let sts_regional_endpoints = self.check_sts_regional_endpoints(r, root);
        let max_trust_policy_length = self.check_max_trust_policy_length(r, root);
        let bindings = self.check_bindings(r, root, partition, cluster_name);
        let account_id = account_id?;
        let cluster_account_id = cluster_account_id.unwrap_or(account_id);
        if cluster_account_id != account_id {
            across_accounts(r, root, identity_type, account_id, cluster_account_id);
        }
        Some(ValidSpec {
            account_id: account_id.to_string(),
            cluster_account_id: cluster_account_id.to_string(),
            region: region.to_string(),
            partition,
            identity_type,
            issuers,
            cluster_name: cluster_name.map(str::to_string),
            create_oidc_provider: self.create_oidc_provider.unwrap_or(false),
            audience,
            token_expiration,
            sts_regional_endpoints,
            max_trust_policy_length,
            bindings,
        })
    }

    /// `accountId`: present (SPEC004) and 12 digits (SPEC010).
    fn check_account_id(&self, r: &mut Report, root: &FieldPath) -> Option<&str> {
        let account_id = self.account_id.as_deref().map(str::trim);
        let p = root.key("accountId");
        match account_id {
            None | Some("") => r.error("SPEC004", &p, "accountId is missing", "set accountId to your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)"),
            Some(a) => account_shape(r, &p, "SPEC010", "accountId", a),
        }
        account_id
    }

    /// `clusterAccountId`: absent (the roles' account), or 12 digits (SPEC019).
    /// None when absent, empty or not an account ID.
    fn check_cluster_account_id(&self, r: &mut Report, root: &FieldPath) -> Option<&str> {
        let a = self
            .cluster_account_id
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())?;
        let p = root.key("clusterAccountId");
        account_shape(r, &p, "SPEC019", "clusterAccountId", a);
        Some(a).filter(|a| aws::is_account_id(a))
    }

    /// `region`: present (SPEC004), shaped like a region (SPEC011), known (SPEC012).
    fn check_region(&self, r: &mut Report, root: &FieldPath) -> &str {
        let region = self.region.as_deref().map(str::trim).unwrap_or_default();
        let p = root.key("region");
        if region.is_empty() {
            r.error(
                "SPEC004",
                &p,
                "region is missing",
                "set region to the cluster's AWS region, e.g. us-west-2",
            );
        } else if !aws::is_well_formed_region(region) {
            r.error(
                "SPEC011",
                &p,
                format!("region `{region}` is not an AWS region name"),
                "use a region code such as us-west-2, eu-central-1 or cn-north-1",
            );
        } else if !aws::KNOWN_REGIONS.contains(&region) {
            r.warning("SPEC012", &p, format!("region `{region}` is not one irsa-gen knows; its partition is taken to be `{}`", Partition::of_region(region)), "check the spelling; a region launched recently is fine");
        }
        region
    }

    /// `clusterName`: an EKS cluster name (SPEC018), required for Pod Identity (SPEC004).
    fn check_cluster_name(
        &self,
        r: &mut Report,
        root: &FieldPath,
        identity_type: IdentityType,
    ) -> Option<&str> {
        let cluster_name = self
            .cluster_name
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty());
        if let Some(name) = cluster_name {
            let ok = (1..=100).contains(&name.len())
                && name.starts_with(|c: char| c.is_ascii_alphanumeric())
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
            if !ok {
                r.error(
                    "SPEC018",
                    &root.key("clusterName"),
                    format!("clusterName `{name}` is not a valid EKS cluster name"),
                    "use 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit",
                );
            }
        } else if identity_type.uses_pod_identity() {
            r.error(
                "SPEC004",
                &root.key("clusterName"),
                "clusterName is missing: a Pod Identity association is made on a named cluster",
                "set clusterName to the EKS cluster's name",
            );
        }
        cluster_name
    }

    /// `audience` (SPEC060): the default is right in every partition.
    fn check_audience(
        &self,
        r: &mut Report,
        root: &FieldPath,
        identity_type: IdentityType,
    ) -> String {
        let audience = self
            .audience
            .as_deref()
            .map(str::trim)
            .unwrap_or(kube::DEFAULT_AUDIENCE)
            .to_string();
        let p = root.key("audience");
        if audience == "sts.amazonaws.com.cn" {
            r.error("SPEC060", &p, "audience `sts.amazonaws.com.cn` is wrong: tokens carry `sts.amazonaws.com` in every partition, China included", "remove audience (the default is right)");
            r.fails("InvalidIdentityToken: Incorrect token audience");
        } else if audience.is_empty()
            || !aws::is_policy_text(&audience)
            || audience.contains(char::is_whitespace)
        {
            r.error(
                "SPEC060",
                &p,
                "audience must be a non-empty string without spaces",
                "remove audience to use sts.amazonaws.com",
            );
        } else if identity_type == IdentityType::PodIdentity && self.audience.is_some() {
            r.error("SPEC060", &p, "audience does not apply to Pod Identity (its tokens are for pods.eks.amazonaws.com)", "remove audience");
        }
        audience
    }

    /// `tokenExpiration` (SPEC061): the range EKS issues, IRSA only.
    fn check_token_expiration(
        &self,
        r: &mut Report,
        root: &FieldPath,
        identity_type: IdentityType,
    ) -> Option<u32> {
        let token_expiration = self.token_expiration.as_deref().and_then(|t| {
            let p = root.key("tokenExpiration");
            match t.trim().parse::<u32>() {
                Ok(n) if (kube::MIN_TOKEN_EXPIRATION..=kube::DEFAULT_TOKEN_EXPIRATION).contains(&n) => Some(n),
                Ok(n) if n < kube::MIN_TOKEN_EXPIRATION => {
                    r.error("SPEC061", &p, format!("tokenExpiration {n} is below 600 seconds; EKS would silently raise it to 600"), "set 600 or more");
                    None
                }
                Ok(n) => {
                    r.error("SPEC061", &p, format!("tokenExpiration {n} is above 86400 seconds (24 hours), the longest token EKS issues"), "set 86400 or less");
                    None
                }
                Err(_) => {
                    r.error("SPEC061", &p, format!("tokenExpiration `{t}` is not a whole number of seconds"), "write seconds, e.g. 86400");
                    None
                }
            }
        });
        if token_expiration.is_some() && identity_type == IdentityType::PodIdentity {
            r.error(
                "SPEC061",
                &root.key("tokenExpiration"),
                "tokenExpiration does not apply to Pod Identity",
                "remove tokenExpiration",
            );
        }
        token_expiration
    }

    /// `stsRegionalEndpoints` (SPEC062): true or false.
    fn check_sts_regional_endpoints(&self, r: &mut Report, root: &FieldPath) -> Option<bool> {
        self.sts_regional_endpoints
            .as_deref()
            .and_then(|s| match s.trim() {
                "true" => Some(true),
                "false" => Some(false),
                other => {
                    r.error(
                        "SPEC062",
                        &root.key("stsRegionalEndpoints"),
                        format!("stsRegionalEndpoints `{other}` is not true or false"),
                        "write true or false",
                    );
                    None
                }
            })
    }

    /// `maxTrustPolicyLength` (SPEC063): 1 to the hard maximum.
    fn check_max_trust_policy_length(&self, r: &mut Report, root: &FieldPath) -> usize {
        match self.max_trust_policy_length.as_deref() {
            None => DEFAULT_MAX_TRUST_POLICY_LENGTH,
            Some(s) => match s
                .trim()
                .parse::<u64>()
                .map(crate::quotas::max_trust_policy_length)
            {
                Ok(Ok(n)) => n,
                _ => {
                    r.error("SPEC063", &root.key("maxTrustPolicyLength"), format!("maxTrustPolicyLength `{s}` must be a number from 1 to 8192"), "IAM allows at most 8192 characters even after a quota increase; the default is 2048");
                    DEFAULT_MAX_TRUST_POLICY_LENGTH
                }
            },
        }
    }

    /// `bindings`: at least one (SPEC004), each checked, no service account
    /// twice (SPEC023), no role twice (SPEC030).
    fn check_bindings(
        &self,
        r: &mut Report,
        root: &FieldPath,
        partition: Partition,
        cluster_name: Option<&str>,
    ) -> Vec<Binding> {
        let p = root.key("bindings");
        if self.bindings.is_empty() {
            r.error(
                "SPEC004",
                &p,
                "bindings is missing: nothing to generate",
                "add a binding with namespace and serviceAccount",
            );
        }
        let mut bindings = Vec::new();
        let mut seen = IndexMap::new();
        for (i, b) in self.bindings.iter().enumerate() {
            let bp = p.index(i);
            if let Some(binding) = binding::check_binding(r, &bp, b, partition, cluster_name) {
                if let Some(first) = seen.insert(binding.dir(), i) {
                    r.error("SPEC023", &bp, format!("bindings[{first}] and bindings[{i}] are for the same service account `{}`", binding.dir()), "merge them into one binding");
                }
                bindings.push(binding);
            }
        }
        let mut roles = IndexMap::new();
        for (i, b) in bindings.iter().enumerate() {
            if let Some(first) = roles.insert(format!("{}{}", b.role_path, b.role_name), i) {
                r.error("SPEC030", &p.index(i).key("roleName"), format!("role `{}` is already used by bindings[{first}]", b.role_name), "give each binding its own roleName, or put both service accounts in one binding");
            }
        }
        bindings
    }
}

/// SPEC010 or SPEC019: an account ID is exactly 12 digits (a placeholder,
/// like any other text, is not one).
fn account_shape(r: &mut Report, p: &FieldPath, code: &str, key: &str, a: &str) {
    if aws::is_account_id(a) {
        return;
    }
    let digits = a.bytes().all(|b| b.is_ascii_digit());
    let what = if digits {
        format!(
            "{key} `{a}` has {} digits; an AWS account ID has exactly 12",
            a.len()
        )
    } else {
        format!("{key} `{a}` must be exactly 12 digits, and has other characters")
    };
    let help = if a.len() == 11 && digits {
        "write it in quotes (\"012345678901\"): YAML reads an unquoted number and drops its leading zero"
    } else {
        "copy it from `aws sts get-caller-identity --query Account --output text`"
    };
    r.error(code, p, what, help);
}

/// The roles in another account than the cluster. IRSA works across
/// accounts (the roles trust the OIDC provider of their own account for the
/// cluster's issuer), but eksctl creates roles with the cluster's account's
/// credentials, so its files are not written (SPEC067). Pod Identity across
/// accounts is role chaining (a role of the cluster's account as the
/// association's roleArn, this one its targetRoleArn): generation refuses
/// it (SPEC066), a migration plans it.
fn across_accounts(
    r: &mut Report,
    root: &FieldPath,
    identity_type: IdentityType,
    account_id: &str,
    cluster_account_id: &str,
) {
    let p = root.key("clusterAccountId");
    if identity_type.uses_pod_identity() && r.purpose == Purpose::Generate {
        r.error("SPEC066", &root.key("identityType"), format!("identityType `{}` with the roles in account {account_id} and the cluster in {cluster_account_id}: EKS Pod Identity across accounts is role chaining (a role of the cluster's account as the association's roleArn, the role of {account_id} as its targetRoleArn), which irsa-gen plans as a migration, not as generated files", identity_type_name(identity_type)), "generate with identityType irsa (IRSA works across accounts) and plan the chain with `irsa-gen migrate --to pod-identity -f spec.yaml`; a chain in place goes back with `irsa-gen migrate --to irsa -f spec.yaml`; for a role you have, `irsa-gen migrate --to pod-identity --trust trust.json --issuer URL --cluster-arn CLUSTER_ARN --target-role-arn ROLE_ARN`");
    } else if identity_type == IdentityType::Irsa && r.purpose == Purpose::Generate {
        r.info("SPEC067", &p, format!("the roles are in account {account_id}, the cluster in {cluster_account_id}: eksctl-cluster.yaml and eksctl.sh are not written (eksctl creates a role with the cluster's account's credentials, in {cluster_account_id})"), format!("create the roles and the OIDC provider with setup.sh, main.tf or the CloudFormation template run with credentials of account {account_id}"));
    }
}

fn identity_type_name(t: IdentityType) -> &'static str {
    match t {
        IdentityType::Irsa => "irsa",
        IdentityType::PodIdentity => "pod-identity",
        IdentityType::Both => "both",
    }
}
