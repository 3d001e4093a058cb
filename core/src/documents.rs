//! The documents of a binding, built once: the trust policy, the
//! permissions policy, the managed policies, the ServiceAccounts and their
//! annotations, the Deployment and the verification pod. Every format renders
//! these same values (and validation measures them against IAM's quotas), so
//! nothing is built twice and no format can drift from another.

use std::sync::OnceLock;

use indexmap::IndexMap;

use crate::addons;
use crate::aws::{Issuer, Partition, POD_IDENTITY_PRINCIPAL};
use crate::kube;
use crate::manifest::{
    Container, Deployment, DeploymentSpec, EnvVar, LabelSelector, ObjectMeta, Pod, PodSpec,
    PodTemplate, ServiceAccount, TemplateMeta,
};
use crate::model::{Binding, ValidSpec};
use crate::policy::{
    allow, Effect, OneOrMany, PolicyDocument, PolicyStatement, Principal, Statement,
};
use crate::spec::{
    IdentityType, Permissions, QueueAccess, QueueGrant, S3Access, S3Grant, TableAccess, TableGrant,
};

/// The AWS CLI image of the verification pod (its entrypoint is `aws`).
pub const AWS_CLI_IMAGE: &str = "public.ecr.aws/aws-cli/aws-cli:2.25.4";

/// The documents of one binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Documents {
    /// The trust policy.
    pub trust: PolicyDocument,
    /// The inline permissions policy, when the binding has templates, add-ons
    /// with statements, or statements.
    pub permissions: Option<PolicyDocument>,
    /// The managed policies to attach: `managedPolicyArns`, then those of add-ons.
    pub managed_policy_arns: Vec<String>,
    /// The ServiceAccount manifests (none for patterns).
    pub service_accounts: Vec<ServiceAccount>,
    /// The annotations the ServiceAccounts carry (empty when there is none, and for Pod Identity).
    pub annotations: IndexMap<String, String>,
    /// The Deployment, with a workload and a plain service account.
    pub deployment: Option<Deployment>,
    /// The verification pod, with a plain service account.
    pub verify_pod: Option<Pod>,
    /// The texts of these documents as their artefacts hold them, rendered
    /// once and quoted by the scripts (setup.sh's here-documents).
    texts: Texts,
}

/// A document of [`Documents`] whose text several formats quote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shared {
    /// The trust policy as pretty JSON.
    Trust,
    /// The permissions policy as pretty JSON.
    Permissions,
    /// The ServiceAccounts as a YAML stream.
    ServiceAccounts,
    /// The Deployment as YAML.
    Deployment,
    /// The verification pod as YAML.
    VerifyPod,
}

/// The texts of [`Shared`] documents, each filled by the first format that
/// renders it. A cache of the fields beside it, so two documents are equal
/// by their fields alone; it is filled only by rendering, after the fields
/// are final (nothing edits a binding's documents once built).
#[derive(Debug, Clone, Default)]
struct Texts {
    trust: OnceLock<String>,
    permissions: OnceLock<String>,
    service_accounts: OnceLock<String>,
    deployment: OnceLock<String>,
    verify_pod: OnceLock<String>,
    /// The CloudFormation template as a JSON value (its YAML and JSON files).
    template: OnceLock<serde_json::Value>,
}

impl Texts {
    /// The cell of one shared document's text.
    fn of(&self, which: Shared) -> &OnceLock<String> {
        match which {
            Shared::Trust => &self.trust,
            Shared::Permissions => &self.permissions,
            Shared::ServiceAccounts => &self.service_accounts,
            Shared::Deployment => &self.deployment,
            Shared::VerifyPod => &self.verify_pod,
        }
    }
}

impl PartialEq for Texts {
    fn eq(&self, _: &Texts) -> bool {
        true
    }
}

impl Documents {
    /// Builds every document of the binding, each once.
    pub fn of(spec: &ValidSpec, b: &Binding) -> Documents {
        let service_accounts = service_accounts(spec, b);
        let annotations = service_accounts
            .first()
            .map(|sa| sa.metadata.annotations.clone())
            .unwrap_or_default();
        Documents {
            trust: trust_policy(spec, b),
            permissions: permissions_policy(spec, b),
            managed_policy_arns: managed_policy_arns(&b.permissions, spec.partition),
            service_accounts,
            annotations,
            deployment: deployment(spec, b),
            verify_pod: verify_pod(spec, b),
            texts: Texts::default(),
        }
    }

    /// The text of a shared document: the one rendered before, else `render`'s
    /// (kept for the next format that asks).
    pub fn shared_text<E>(
        &self,
        which: Shared,
        render: impl FnOnce() -> Result<String, E>,
    ) -> Result<&str, E> {
        once(self.texts.of(which), render).map(String::as_str)
    }

    /// The binding's CloudFormation template as a value: the one built before,
    /// else `build`'s (its YAML and JSON files hold the same template).
    pub fn shared_template<E>(
        &self,
        build: impl FnOnce() -> Result<serde_json::Value, E>,
    ) -> Result<&serde_json::Value, E> {
        once(&self.texts.template, build)
    }

    /// Keeps `text`, just rendered, as the shared document's text (when none is kept yet).
    pub fn keep_text(&self, which: Shared, text: &str) {
        let cell = self.texts.of(which);
        if cell.get().is_none() {
            let _ = cell.set(text.to_owned());
        }
    }
}

/// The cell's value, else `make`'s, kept (a failure is not).
fn once<T, E>(cell: &OnceLock<T>, make: impl FnOnce() -> Result<T, E>) -> Result<&T, E> {
    if let Some(value) = cell.get() {
        return Ok(value);
    }
    let value = make()?;
    Ok(cell.get_or_init(|| value))
}

/// The trust policy of a binding: one statement per trusted issuer (IRSA),
/// the Pod Identity statement, or both (a migration's transition).
pub fn trust_policy(spec: &ValidSpec, b: &Binding) -> PolicyDocument {
    let mut statements = Vec::new();
    if spec.uses_irsa() {
        statements.extend(
            spec.issuers
                .iter()
                .map(|issuer| oidc_statement(spec, b, issuer)),
        );
    }
    if spec.uses_pod_identity() {
        // In the transition the role is this cluster's: its ARN (a session tag
        // EKS Pod Identity sets) scopes the statement. A Pod Identity role on
        // its own is meant to be reused across clusters, so it names none.
        let cluster_arn = (spec.identity_type == IdentityType::Both)
            .then(|| spec.cluster_arn())
            .flatten();
        statements.push(pod_identity_statement(b, cluster_arn.as_deref()));
    }
    PolicyDocument::new(statements)
}

/// The web-identity statement of one trusted issuer.
pub fn oidc_statement(spec: &ValidSpec, b: &Binding, issuer: &Issuer) -> PolicyStatement {
    let hp = &issuer.host_path;
    let sub = (format!("{hp}:sub"), OneOrMany::from_vec(b.subjects()));
    let aud = (format!("{hp}:aud"), OneOrMany::from(spec.audience.as_str()));
    let mut condition = IndexMap::new();
    if b.is_pattern() {
        // A `*` under StringEquals is a literal star: patterns need StringLike.
        condition.insert("StringEquals".to_string(), IndexMap::from([aud]));
        condition.insert("StringLike".to_string(), IndexMap::from([sub]));
    } else {
        condition.insert("StringEquals".to_string(), IndexMap::from([sub, aud]));
    }
    PolicyStatement::Generated(Statement {
        sid: None,
        effect: Effect::Allow,
        principal: Some(Principal::Federated(
            issuer.provider_arn(spec.partition, &spec.account_id),
        )),
        action: "sts:AssumeRoleWithWebIdentity".into(),
        resource: None,
        condition,
    })
}

/// The Pod Identity statement: `pods.eks.amazonaws.com` with `sts:AssumeRole`
/// and `sts:TagSession`, scoped by the session tags EKS sets (namespace,
/// service account and, when given, the cluster's ARN).
pub fn pod_identity_statement(b: &Binding, cluster_arn: Option<&str>) -> PolicyStatement {
    let operator = if b.is_pattern() {
        "StringLike"
    } else {
        "StringEquals"
    };
    let ns = OneOrMany::from(b.namespace.as_str());
    let sa = OneOrMany::from_vec(b.service_accounts.clone());
    let mut scope = IndexMap::from([
        ("aws:RequestTag/kubernetes-namespace".to_string(), ns),
        ("aws:RequestTag/kubernetes-service-account".to_string(), sa),
    ]);
    if let Some(arn) = cluster_arn {
        scope.insert(
            "aws:RequestTag/eks-cluster-arn".to_string(),
            OneOrMany::from(arn),
        );
    }
    PolicyStatement::Generated(Statement {
        sid: None,
        effect: Effect::Allow,
        principal: Some(Principal::Service(POD_IDENTITY_PRINCIPAL.to_string())),
        action: OneOrMany::Many(vec!["sts:AssumeRole".into(), "sts:TagSession".into()]),
        resource: None,
        condition: IndexMap::from([(operator.to_string(), scope)]),
    })
}

/// The inline permissions policy of a binding, when it has templates or statements.
pub fn permissions_policy(spec: &ValidSpec, b: &Binding) -> Option<PolicyDocument> {
    let p = spec.partition;
    let (region, account) = (spec.region.as_str(), spec.account_id.as_str());
    let perms = &b.permissions;
    let mut out = Vec::new();
    for g in &perms.s3 {
        out.extend(s3_statements(p, g));
    }
    if !perms.secrets_manager.is_empty() {
        let arns = perms
            .secrets_manager
            .iter()
            .map(|g| {
                let s = &g.secret;
                if s.starts_with("arn:") {
                    s.clone()
                } else {
                    // Secrets Manager appends a 6-character suffix to every secret's ARN.
                    format!("arn:{p}:secretsmanager:{region}:{account}:secret:{s}-??????")
                }
            })
            .collect();
        out.push(allow(
            &[
                "secretsmanager:GetSecretValue",
                "secretsmanager:DescribeSecret",
            ],
            arns,
        ));
    }
    for g in &perms.dynamodb {
        out.push(dynamodb_statement(p, region, account, g));
    }
    for g in &perms.sqs {
        out.push(sqs_statement(p, region, account, g));
    }
    let cx = addons::Context {
        partition: p,
        region,
        account,
        cluster_name: spec.cluster_name.as_deref(),
    };
    for g in &perms.addons {
        if let Some(policy) = addons::policy(g, &cx) {
            out.extend(policy.statements);
        }
    }
    let mut statements: Vec<PolicyStatement> =
        out.into_iter().map(PolicyStatement::Generated).collect();
    statements.extend(perms.statements.iter().cloned().map(PolicyStatement::Raw));
    (!statements.is_empty()).then(|| PolicyDocument::new(statements))
}

/// The objects of a bucket (or of a prefix), and listing them.
fn s3_statements(p: Partition, g: &S3Grant) -> [Statement; 2] {
    let bucket = format!("arn:{p}:s3:::{}", g.bucket);
    let prefix = g.prefix.as_deref().unwrap_or("");
    let objects = format!("{bucket}/{prefix}*");
    let object_actions: &[&str] = match g.access {
        S3Access::Read => &["s3:GetObject"],
        S3Access::Write => &["s3:PutObject", "s3:AbortMultipartUpload"],
        S3Access::ReadWrite => &[
            "s3:GetObject",
            "s3:PutObject",
            "s3:DeleteObject",
            "s3:AbortMultipartUpload",
        ],
    };
    let mut list = allow(&["s3:ListBucket"], vec![bucket]);
    if !prefix.is_empty() {
        list.condition.insert(
            "StringLike".into(),
            IndexMap::from([(
                "s3:prefix".to_string(),
                OneOrMany::from_vec(vec![prefix.to_string(), format!("{prefix}*")]),
            )]),
        );
    }
    [allow(object_actions, vec![objects]), list]
}

/// A table and its indexes.
fn dynamodb_statement(p: Partition, region: &str, account: &str, g: &TableGrant) -> Statement {
    let table = format!("arn:{p}:dynamodb:{region}:{account}:table/{}", g.table);
    let actions: &[&str] = match g.access {
        TableAccess::Read => &[
            "dynamodb:BatchGetItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:Query",
            "dynamodb:Scan",
        ],
        TableAccess::ReadWrite => &[
            "dynamodb:BatchGetItem",
            "dynamodb:BatchWriteItem",
            "dynamodb:ConditionCheckItem",
            "dynamodb:DeleteItem",
            "dynamodb:DescribeTable",
            "dynamodb:GetItem",
            "dynamodb:PutItem",
            "dynamodb:Query",
            "dynamodb:Scan",
            "dynamodb:UpdateItem",
        ],
    };
    allow(actions, vec![table.clone(), format!("{table}/index/*")])
}

/// A queue, to consume from or to send to.
fn sqs_statement(p: Partition, region: &str, account: &str, g: &QueueGrant) -> Statement {
    let queue = format!("arn:{p}:sqs:{region}:{account}:{}", g.queue);
    let actions: &[&str] = match g.access {
        QueueAccess::Consume => &[
            "sqs:ChangeMessageVisibility",
            "sqs:DeleteMessage",
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:ReceiveMessage",
        ],
        QueueAccess::Send => &[
            "sqs:GetQueueAttributes",
            "sqs:GetQueueUrl",
            "sqs:SendMessage",
        ],
    };
    allow(actions, vec![queue])
}

/// The managed policies a role gets: `managedPolicyArns`, then those of
/// add-ons, without repeats. Validation counts them against IAM's limit.
pub fn managed_policy_arns(perms: &Permissions, partition: Partition) -> Vec<String> {
    let mut arns = perms.managed_policy_arns.clone();
    for g in &perms.addons {
        for arn in addons::managed_policy_arns(g, partition) {
            if !arns.contains(&arn) {
                arns.push(arn);
            }
        }
    }
    arns
}

/// The ServiceAccount manifests of a binding (none for patterns).
pub fn service_accounts(spec: &ValidSpec, b: &Binding) -> Vec<ServiceAccount> {
    b.named_service_accounts()
        .map(|name| {
            let mut annotations = IndexMap::new();
            if spec.uses_irsa() {
                annotations.insert(kube::ROLE_ARN.to_string(), b.role_arn(spec));
                if spec.audience != kube::DEFAULT_AUDIENCE {
                    annotations.insert(kube::AUDIENCE.to_string(), spec.audience.clone());
                }
                if let Some(r) = spec.sts_regional_endpoints {
                    annotations.insert(kube::STS_REGIONAL_ENDPOINTS.to_string(), r.to_string());
                }
                if let Some(t) = spec.token_expiration {
                    annotations.insert(kube::TOKEN_EXPIRATION.to_string(), t.to_string());
                }
            }
            ServiceAccount {
                api_version: "v1",
                kind: "ServiceAccount",
                metadata: ObjectMeta {
                    name: name.to_string(),
                    namespace: Some(b.namespace.clone()),
                    labels: IndexMap::new(),
                    annotations,
                },
            }
        })
        .collect()
}

fn region_env(spec: &ValidSpec) -> Vec<EnvVar> {
    vec![EnvVar {
        name: "AWS_REGION".into(),
        value: spec.region.clone(),
    }]
}

/// The Deployment of a binding, when the spec has a workload and a plain service account name.
pub fn deployment(spec: &ValidSpec, b: &Binding) -> Option<Deployment> {
    let w = b.workload.as_ref()?;
    let sa = b.named_service_accounts().next()?;
    let labels = IndexMap::from([("app.kubernetes.io/name".to_string(), w.name.clone())]);
    Some(Deployment {
        api_version: "apps/v1",
        kind: "Deployment",
        metadata: ObjectMeta {
            name: w.name.clone(),
            namespace: Some(b.namespace.clone()),
            labels: labels.clone(),
            annotations: IndexMap::new(),
        },
        spec: DeploymentSpec {
            replicas: w.replicas,
            selector: LabelSelector {
                match_labels: labels.clone(),
            },
            template: PodTemplate {
                metadata: TemplateMeta { labels },
                spec: PodSpec {
                    service_account_name: sa.to_string(),
                    restart_policy: None,
                    containers: vec![Container {
                        name: w.container.clone(),
                        image: w.image.clone(),
                        args: Vec::new(),
                        env: region_env(spec),
                    }],
                },
            },
        },
    })
}

/// A pod that prints the identity the service account gets (`aws sts get-caller-identity`).
pub fn verify_pod(spec: &ValidSpec, b: &Binding) -> Option<Pod> {
    let sa = b.named_service_accounts().next()?;
    let mut name = format!("irsa-verify-{sa}");
    name.truncate(63);
    let name = name
        .trim_end_matches(|c: char| !c.is_ascii_alphanumeric())
        .to_string();
    Some(Pod {
        api_version: "v1",
        kind: "Pod",
        metadata: ObjectMeta {
            name,
            namespace: Some(b.namespace.clone()),
            labels: IndexMap::from([(
                "app.kubernetes.io/name".to_string(),
                "irsa-verify".to_string(),
            )]),
            annotations: IndexMap::new(),
        },
        spec: PodSpec {
            service_account_name: sa.to_string(),
            restart_policy: Some("Never"),
            containers: vec![Container {
                name: "aws-cli".into(),
                image: AWS_CLI_IMAGE.into(),
                args: vec!["sts".into(), "get-caller-identity".into()],
                env: region_env(spec),
            }],
        },
    })
}
