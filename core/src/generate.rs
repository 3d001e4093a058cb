//! Generators: a [`ValidSpec`] becomes typed documents, and typed documents
//! become text. Nothing here builds JSON or YAML by hand.

use indexmap::IndexMap;
use serde::Serialize;

use crate::addons;
use crate::aws::Partition;
use crate::kube;
use crate::manifest::{
    Container, Deployment, DeploymentSpec, EnvVar, LabelSelector, ObjectMeta, Pod, PodSpec,
    PodTemplate, ServiceAccount, TemplateMeta,
};
use crate::policy::{
    allow, Effect, OneOrMany, PolicyDocument, PolicyStatement, Principal, Statement,
};
use crate::spec::{IdentityType, Permissions, QueueAccess, S3Access, TableAccess};
use crate::validate::{Binding, ValidSpec};

/// The AWS CLI image of the verification pod (its entrypoint is `aws`).
pub const AWS_CLI_IMAGE: &str = "public.ecr.aws/aws-cli/aws-cli:2.25.4";
/// The service principal of EKS Pod Identity.
pub const POD_IDENTITY_PRINCIPAL: &str = "pods.eks.amazonaws.com";

/// Every artefact irsa-gen writes, by file name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ArtefactKind {
    /// `trust-policy.json`
    TrustPolicy,
    /// `permissions-policy.json`
    PermissionsPolicy,
    /// `serviceaccount.yaml`
    ServiceAccount,
    /// `deployment.yaml`
    Deployment,
    /// `verify-pod.yaml`
    VerifyPod,
    /// `setup.sh`: the whole setup with the AWS CLI and kubectl.
    Setup,
    /// `eksctl-cluster.yaml`: an eksctl ClusterConfig with the service account or association.
    EksctlCluster,
    /// `eksctl.sh`: the same with `eksctl create iamserviceaccount` / `podidentityassociation`.
    EksctlScript,
    /// `main.tf`: Terraform (aws and kubernetes providers).
    Terraform,
    /// `cloudformation.yaml`: an AWS::IAM::Role template.
    CloudFormationYaml,
    /// `cloudformation.json`: the same template in JSON.
    CloudFormationJson,
    /// `helm-values.yaml`: `serviceAccount: {create, name, annotations}`.
    HelmValues,
    /// `spicepodset.yaml`: a Spice.ai SpicepodSet with its service account.
    SpicepodSet,
    /// `pod-identity.sh`: `aws eks create-pod-identity-association` (Pod Identity only).
    PodIdentity,
}

/// The text format of an artefact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// JSON (IAM documents).
    Json,
    /// YAML (Kubernetes manifests), possibly several documents.
    Yaml,
    /// A bash script.
    Shell,
    /// HCL (Terraform).
    Hcl,
}

impl ArtefactKind {
    /// All kinds, in output order.
    pub const ALL: [ArtefactKind; 14] = [
        ArtefactKind::TrustPolicy,
        ArtefactKind::PermissionsPolicy,
        ArtefactKind::ServiceAccount,
        ArtefactKind::Deployment,
        ArtefactKind::VerifyPod,
        ArtefactKind::Setup,
        ArtefactKind::EksctlCluster,
        ArtefactKind::EksctlScript,
        ArtefactKind::Terraform,
        ArtefactKind::CloudFormationYaml,
        ArtefactKind::CloudFormationJson,
        ArtefactKind::HelmValues,
        ArtefactKind::SpicepodSet,
        ArtefactKind::PodIdentity,
    ];

    /// The kinds printed as one stream when no artefact is chosen: the IAM
    /// policies and Kubernetes manifests. The other formats are alternatives
    /// to each other (and scripts and HCL are not YAML); `--only` prints them,
    /// `--output-dir` writes them.
    pub fn in_stream(self) -> bool {
        matches!(
            self,
            ArtefactKind::TrustPolicy
                | ArtefactKind::PermissionsPolicy
                | ArtefactKind::ServiceAccount
                | ArtefactKind::Deployment
                | ArtefactKind::VerifyPod
        )
    }

    /// The file name.
    pub fn file_name(self) -> &'static str {
        match self {
            ArtefactKind::TrustPolicy => "trust-policy.json",
            ArtefactKind::PermissionsPolicy => "permissions-policy.json",
            ArtefactKind::ServiceAccount => "serviceaccount.yaml",
            ArtefactKind::Deployment => "deployment.yaml",
            ArtefactKind::VerifyPod => "verify-pod.yaml",
            ArtefactKind::Setup => "setup.sh",
            ArtefactKind::EksctlCluster => "eksctl-cluster.yaml",
            ArtefactKind::EksctlScript => "eksctl.sh",
            ArtefactKind::Terraform => "main.tf",
            ArtefactKind::CloudFormationYaml => "cloudformation.yaml",
            ArtefactKind::CloudFormationJson => "cloudformation.json",
            ArtefactKind::HelmValues => "helm-values.yaml",
            ArtefactKind::SpicepodSet => "spicepodset.yaml",
            ArtefactKind::PodIdentity => "pod-identity.sh",
        }
    }

    /// The file name without extension, as `--only` takes it; the JSON
    /// CloudFormation template, whose stem the YAML one already has, is
    /// `cloudformation-json` (`--only` also takes every file name).
    pub fn id(self) -> &'static str {
        if self == ArtefactKind::CloudFormationJson {
            return "cloudformation-json";
        }
        let name = self.file_name();
        name.rsplit_once('.').map_or(name, |(stem, _)| stem)
    }

    /// The kind whose `id` or file name this is.
    pub fn parse(s: &str) -> Option<ArtefactKind> {
        ArtefactKind::ALL
            .into_iter()
            .find(|k| k.id() == s || k.file_name() == s)
    }

    /// The text format.
    pub fn format(self) -> Format {
        match self {
            ArtefactKind::TrustPolicy
            | ArtefactKind::PermissionsPolicy
            | ArtefactKind::CloudFormationJson => Format::Json,
            ArtefactKind::Setup | ArtefactKind::EksctlScript | ArtefactKind::PodIdentity => {
                Format::Shell
            }
            ArtefactKind::Terraform => Format::Hcl,
            _ => Format::Yaml,
        }
    }
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Artefact {
    /// Which artefact.
    pub kind: ArtefactKind,
    /// The file name.
    pub file: &'static str,
    /// The documents it holds, as JSON values (one for policies, one or more
    /// for manifests, none for scripts and HCL).
    pub documents: Vec<serde_json::Value>,
    /// The exact text of the file.
    pub text: String,
}

impl Artefact {
    /// A text artefact with no JSON or YAML documents (a script, HCL).
    pub fn text(kind: ArtefactKind, text: String) -> Artefact {
        Artefact {
            kind,
            file: kind.file_name(),
            documents: Vec::new(),
            text,
        }
    }

    /// The artefact as JSON text, as `-o json` shows a manifest: the document
    /// itself when there is one, a `v1` `List` of them when there are several.
    /// IAM policies are JSON already and come back as they are.
    pub fn json_text(&self) -> Result<String, RenderError> {
        let err = |e: serde_json::Error| RenderError {
            file: self.file,
            message: e.to_string(),
        };
        let mut text = match self.documents.as_slice() {
            [one] => serde_json::to_string_pretty(one).map_err(err)?,
            docs => serde_json::to_string_pretty(&serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": docs,
            }))
            .map_err(err)?,
        };
        text.push('\n');
        Ok(text)
    }
}

/// Everything generated for one binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingArtefacts {
    /// Namespace (or pattern).
    pub namespace: String,
    /// Service accounts (or patterns).
    pub service_accounts: Vec<String>,
    /// The role's name.
    pub role_name: String,
    /// The role's ARN.
    pub role_arn: String,
    /// The folder for this binding when a spec has several.
    pub dir: String,
    /// The files.
    pub artefacts: Vec<Artefact>,
}

/// Everything generated for a spec.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Bundle {
    /// One entry per binding, in spec order.
    pub bindings: Vec<BindingArtefacts>,
}

/// Generates every artefact for every binding: the five core ones, then the
/// formats of [`crate::formats`] that apply to it.
pub fn generate(spec: &ValidSpec) -> Result<Bundle, RenderError> {
    let bindings = spec
        .bindings
        .iter()
        .map(|b| binding_artefacts(spec, b))
        .collect::<Result<_, _>>()?;
    Ok(Bundle { bindings })
}

/// Generates the artefacts of one binding (callers that write many bindings
/// stream them one at a time instead of holding the whole [`Bundle`]).
pub fn binding_artefacts(spec: &ValidSpec, b: &Binding) -> Result<BindingArtefacts, RenderError> {
    let mut generated = core_artefacts(spec, b)?;
    generated
        .artefacts
        .extend(crate::formats::artefacts(spec, b)?);
    Ok(generated)
}

/// The five core artefacts of one binding (policies and manifests), without
/// the other formats: what the stdout stream shows, at a third of the cost.
pub fn core_artefacts(spec: &ValidSpec, b: &Binding) -> Result<BindingArtefacts, RenderError> {
    let mut artefacts = vec![json_artefact(
        ArtefactKind::TrustPolicy,
        &trust_policy(spec, b),
    )?];
    if let Some(p) = permissions_policy(spec, b) {
        artefacts.push(json_artefact(ArtefactKind::PermissionsPolicy, &p)?);
    }
    let sas = service_accounts(spec, b);
    if !sas.is_empty() {
        artefacts.push(yaml_artefact(ArtefactKind::ServiceAccount, &sas)?);
    }
    if let Some(d) = deployment(spec, b) {
        artefacts.push(yaml_artefact(ArtefactKind::Deployment, &[d])?);
    }
    if let Some(p) = verify_pod(spec, b) {
        artefacts.push(yaml_artefact(ArtefactKind::VerifyPod, &[p])?);
    }
    Ok(BindingArtefacts {
        namespace: b.namespace.clone(),
        service_accounts: b.service_accounts.clone(),
        role_name: b.role_name.clone(),
        role_arn: b.role_arn(spec),
        dir: b.dir(),
        artefacts,
    })
}

/// A document could not be rendered (never expected for generated documents).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not render {file}: {message}")]
pub struct RenderError {
    file: &'static str,
    message: String,
}

impl RenderError {
    /// An error rendering `file`.
    pub fn new(file: &'static str, message: impl Into<String>) -> RenderError {
        RenderError {
            file,
            message: message.into(),
        }
    }
}

pub(crate) fn json_artefact<T: Serialize>(
    kind: ArtefactKind,
    doc: &T,
) -> Result<Artefact, RenderError> {
    let err = |e: serde_json::Error| RenderError {
        file: kind.file_name(),
        message: e.to_string(),
    };
    let value = serde_json::to_value(doc).map_err(err)?;
    let mut text = serde_json::to_string_pretty(&value).map_err(err)?;
    text.push('\n');
    Ok(Artefact {
        kind,
        file: kind.file_name(),
        documents: vec![value],
        text,
    })
}

pub(crate) fn yaml_artefact<T: Serialize>(
    kind: ArtefactKind,
    docs: &[T],
) -> Result<Artefact, RenderError> {
    let err = |message: String| RenderError {
        file: kind.file_name(),
        message,
    };
    let mut values = Vec::new();
    let mut text = String::new();
    for (i, doc) in docs.iter().enumerate() {
        let value = serde_json::to_value(doc).map_err(|e| err(e.to_string()))?;
        if i > 0 {
            text.push_str("---\n");
        }
        text.push_str(&crate::yaml::to_string(&value));
        values.push(value);
    }
    Ok(Artefact {
        kind,
        file: kind.file_name(),
        documents: values,
        text,
    })
}

/// The trust policy of a binding: one statement per trusted issuer (IRSA), or the Pod Identity trust.
pub fn trust_policy(spec: &ValidSpec, b: &Binding) -> PolicyDocument {
    let subjects = b.subjects();
    let statements = match spec.identity_type {
        IdentityType::Irsa => spec
            .issuers
            .iter()
            .map(|issuer| {
                let hp = &issuer.host_path;
                let sub = (format!("{hp}:sub"), OneOrMany::from_vec(subjects.clone()));
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
            })
            .collect(),
        IdentityType::PodIdentity => {
            let operator = if b.is_pattern() {
                "StringLike"
            } else {
                "StringEquals"
            };
            let ns = OneOrMany::from(b.namespace.as_str());
            let sa = OneOrMany::from_vec(b.service_accounts.clone());
            let scope = IndexMap::from([
                ("aws:RequestTag/kubernetes-namespace".to_string(), ns),
                ("aws:RequestTag/kubernetes-service-account".to_string(), sa),
            ]);
            vec![PolicyStatement::Generated(Statement {
                sid: None,
                effect: Effect::Allow,
                principal: Some(Principal::Service(POD_IDENTITY_PRINCIPAL.to_string())),
                action: OneOrMany::Many(vec!["sts:AssumeRole".into(), "sts:TagSession".into()]),
                resource: None,
                condition: IndexMap::from([(operator.to_string(), scope)]),
            })]
        }
    };
    PolicyDocument::new(statements)
}

/// The inline permissions policy of a binding, when it has templates or statements.
pub fn permissions_policy(spec: &ValidSpec, b: &Binding) -> Option<PolicyDocument> {
    let p = spec.partition;
    let (region, account) = (&spec.region, &spec.account_id);
    let perms = &b.permissions;
    let mut out = Vec::new();
    for g in &perms.s3 {
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
        out.push(allow(object_actions, vec![objects]));
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
        out.push(list);
    }
    if !perms.secrets_manager.is_empty() {
        let arns = perms
            .secrets_manager
            .iter()
            .map(|g| {
                let s = g.secret.trim();
                if s.starts_with("arn:") {
                    s.to_string()
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
        out.push(allow(
            actions,
            vec![table.clone(), format!("{table}/index/*")],
        ));
    }
    for g in &perms.sqs {
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
        out.push(allow(actions, vec![queue]));
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

/// The managed policies a role gets: `managedPolicyArns`, then those of add-ons, without repeats.
pub fn managed_policy_arns(perms: &Permissions, partition: Partition) -> Vec<String> {
    let cx = addons::Context {
        partition,
        region: "",
        account: "",
        cluster_name: None,
    };
    let mut arns: Vec<String> = perms
        .managed_policy_arns
        .iter()
        .map(|a| a.trim().to_string())
        .collect();
    for g in &perms.addons {
        for arn in addons::policy(g, &cx)
            .map(|p| p.managed_policy_arns)
            .unwrap_or_default()
        {
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
            if spec.identity_type == IdentityType::Irsa {
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

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle(service_accounts: &str) -> Bundle {
        let text = format!(
            "accountId: \"111122223333\"\nregion: us-west-2\ncluster: EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: {service_accounts}\n    roleName: S3WriterRole\n"
        );
        let validated = crate::load_spec(&text, None);
        generate(validated.spec.as_ref().unwrap()).unwrap()
    }

    fn artefact(b: &Bundle, kind: ArtefactKind) -> &Artefact {
        b.bindings[0]
            .artefacts
            .iter()
            .find(|a| a.kind == kind)
            .unwrap()
    }

    #[test]
    fn json_text_of_a_policy_is_its_text() {
        let b = bundle("s3-writer");
        let trust = artefact(&b, ArtefactKind::TrustPolicy);
        assert_eq!(trust.json_text().unwrap(), trust.text);
    }

    #[test]
    fn json_text_of_one_manifest_is_the_object() {
        let b = bundle("s3-writer");
        let sa = artefact(&b, ArtefactKind::ServiceAccount);
        let json: serde_json::Value = serde_json::from_str(&sa.json_text().unwrap()).unwrap();
        assert_eq!(json["kind"], "ServiceAccount");
        assert_eq!(json["metadata"]["name"], "s3-writer");
        assert!(sa.json_text().unwrap().ends_with("}\n"));
    }

    #[test]
    fn json_text_of_several_manifests_is_a_list() {
        let b = bundle("[a, b]");
        let sa = artefact(&b, ArtefactKind::ServiceAccount);
        let json: serde_json::Value = serde_json::from_str(&sa.json_text().unwrap()).unwrap();
        assert_eq!(json["kind"], "List");
        assert_eq!(json["items"][1]["metadata"]["name"], "b");
    }
}
