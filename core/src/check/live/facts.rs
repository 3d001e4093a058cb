//! What the dumps of a set say about the live setup, as owned facts: one
//! record per output shape, filled by the reader of that shape (`cluster.rs`,
//! `oidc.rs`, `roles.rs`, `associations.rs`, `addons.rs`, `pods.rs`) and
//! judged by the doctor. It imports no reader.

use crate::source::Span;

/// Everything the dumps of a set say about the live setup.
#[derive(Debug, Default)]
pub(in crate::check) struct Facts<'a> {
    pub clusters: Vec<Cluster<'a>>,
    pub provider_lists: Vec<ProviderList<'a>>,
    pub providers: Vec<ProviderDetail<'a>>,
    pub role_dumps: Vec<RoleDump<'a>>,
    pub associations: Vec<LiveAssociation<'a>>,
    pub addons: Vec<AddonList<'a>>,
    pub pods: Vec<LivePod<'a>>,
}

impl<'a> Facts<'a> {
    /// Adds another file's facts.
    pub fn extend(&mut self, other: Facts<'a>) {
        self.clusters.extend(other.clusters);
        self.provider_lists.extend(other.provider_lists);
        self.providers.extend(other.providers);
        self.role_dumps.extend(other.role_dumps);
        self.associations.extend(other.associations);
        self.addons.extend(other.addons);
        self.pods.extend(other.pods);
    }
}

/// One cluster as EKS describes it (`aws eks describe-cluster`).
#[derive(Debug)]
pub(in crate::check) struct Cluster<'a> {
    pub file: &'a str,
    pub name: String,
    pub arn: String,
    /// The issuer's host and path (`oidc.eks.REGION.amazonaws.com/id/ID`), as IAM writes it.
    pub issuer: String,
    pub platform_version: String,
}

/// The OIDC providers of one account (`list-open-id-connect-providers`).
#[derive(Debug)]
pub(in crate::check) struct ProviderList<'a> {
    pub file: &'a str,
    pub span: Span,
    /// (partition, account, issuer host and path) of each provider ARN.
    pub providers: Vec<(String, String, String)>,
}

/// One OIDC provider's details (`get-open-id-connect-provider`).
#[derive(Debug)]
pub(in crate::check) struct ProviderDetail<'a> {
    pub file: &'a str,
    /// The issuer's host and path.
    pub url: String,
    pub client_ids: Vec<String>,
    pub client_ids_span: Span,
}

/// The roles one dump lists (`get-role`, `list-roles`, authorization details).
#[derive(Debug)]
pub(in crate::check) struct RoleDump<'a> {
    pub file: &'a str,
    /// Every role of its accounts (a list without more pages), not a `get-role`.
    pub complete: bool,
    /// (account, role name) of each role.
    pub roles: Vec<(String, String)>,
}

/// One Pod Identity association.
#[derive(Debug)]
pub(in crate::check) struct LiveAssociation<'a> {
    pub file: &'a str,
    pub cluster: String,
    pub namespace: String,
    pub service_account: String,
    /// Only `describe` says it: the role and where it is written.
    pub role: Option<(String, Span)>,
}

/// The add-ons one output names (`list-addons`, `describe-addon`).
#[derive(Debug)]
pub(in crate::check) struct AddonList<'a> {
    pub file: &'a str,
    pub span: Span,
    /// The cluster, when the output says it (`describe-addon`).
    pub cluster: Option<String>,
    pub names: Vec<String>,
    /// Every add-on of the cluster (`list-addons` without more pages).
    pub complete: bool,
}

/// A running Pod and what its containers were given.
#[derive(Debug)]
pub(in crate::check) struct LivePod<'a> {
    pub file: &'a str,
    pub span: Span,
    pub namespace: String,
    pub name: String,
    pub service_account: String,
    /// Containers (not skipped by `eks.amazonaws.com/skip-containers`) without `AWS_ROLE_ARN`.
    pub without_role: Vec<String>,
    /// The `AWS_ROLE_ARN` values the containers have.
    pub role_arns: Vec<String>,
    /// True when a container has Pod Identity's container credentials.
    pub pod_identity: bool,
}
