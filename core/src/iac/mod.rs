//! Infrastructure as code read into the documents `check` already reads.
//! Each reader turns the IAM and Kubernetes parts of a Terraform file, a
//! `terraform show -json` output, a CloudFormation template or an eksctl
//! `ClusterConfig` into located
//! documents of the shapes the checker knows (a policy document, a
//! ServiceAccount manifest, a Pod Identity association as `describe` prints
//! it), with spans into the original file. Values the file leaves to its
//! tool (`var.x`, `!Ref Param`, `${AWS::AccountId}`) become `${...}`
//! placeholders: opaque tokens, never errors. What a reader cannot turn
//! into a document is said ([`Unread`]), never dropped silently.

pub mod cloudformation;
pub mod eksctl;
mod hcl;
pub mod intrinsics;
mod irsa_module;
mod lines;
mod policy_document;
mod structure;
pub mod terraform;
pub mod terraform_json;
#[cfg(test)]
mod tests;

use crate::source::{Node, Scalar, Span, Value};

/// What one reader made of a file.
#[derive(Debug, Default)]
pub struct Reading {
    /// Documents in shapes the checker reads, located in the original file.
    pub documents: Vec<Doc>,
    /// Parts it could not turn into documents (an expression it does not evaluate).
    pub unread: Vec<Unread>,
    /// Policies the file names but holds elsewhere (another file, a data
    /// source of another file of the module).
    pub references: Vec<Reference>,
    /// The `aws_iam_policy_document` data sources it declares, by name.
    pub declares: Vec<String>,
}

/// A policy a file names but holds elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// Where the policy is.
    pub target: Target,
    /// Where it is named.
    pub span: Span,
    /// What reads it (`` the `assume_role_policy` of `aws_iam_role.x` ``).
    pub what: String,
}

/// Where a referenced policy is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A file (`file("${path.module}/trust.json")`), by path relative to the naming file's directory.
    File(String),
    /// A `data "aws_iam_policy_document"` of the module (a file of the same directory), by name.
    PolicyDocument(String),
}

/// One document a reader made.
#[derive(Debug, Clone, PartialEq)]
pub struct Doc {
    /// The document, every node located in the original file.
    pub root: Node,
    /// True when its strings are located at their opening quote (JSON read
    /// from the file), false when at their first character.
    pub quoted: bool,
    /// For a role's trust, what a ServiceAccount's role-arn may name the
    /// role by: its address (`aws_iam_role.x`, a logical ID) and its
    /// literal name (`name`, `RoleName`). Empty for other documents.
    pub role: Vec<String>,
}

/// A part of a file that holds IAM or Kubernetes content check did not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unread {
    /// Where it is.
    pub span: Span,
    /// The finding that says it: IRSA407 (not read), IRSA410 (readable once
    /// its placeholders are filled) or IRSA001 (a policy that is not JSON).
    pub code: &'static str,
    /// What it is and why it was not read.
    pub message: String,
}

impl Reading {
    /// A document whose strings are located at their first character.
    fn push(&mut self, root: Node) {
        self.push_doc(Doc {
            root,
            quoted: false,
            role: Vec::new(),
        });
    }

    /// A document read as JSON from the file: strings at their opening quote.
    fn push_json(&mut self, root: Node) {
        self.push_doc(Doc {
            root,
            quoted: true,
            role: Vec::new(),
        });
    }

    /// A document, or, when a policy's structure is an expression, what says so.
    fn push_doc(&mut self, doc: Doc) {
        match structure::opaque_part(&doc.root) {
            Some((at, expr)) => {
                // A message is one line: an expression over several is quoted on one.
                let expr = expr.split_whitespace().collect::<Vec<_>>().join(" ");
                self.unread(
                    at,
                    format!("this policy has `{expr}` where a list or mapping belongs, a value only its tool computes: not checked"),
                )
            }
            None => self.documents.push(doc),
        }
    }

    /// The documents pushed since `from` (a role's trust) given the role's names.
    fn of_role(&mut self, from: usize, names: &[String]) {
        for d in self.documents.iter_mut().skip(from) {
            d.role = names.to_vec();
        }
    }

    fn unread(&mut self, span: Span, message: impl Into<String>) {
        self.said(span, "IRSA407", message);
    }

    fn said(&mut self, span: Span, code: &'static str, message: impl Into<String>) {
        self.unread.push(Unread {
            span,
            code,
            message: message.into(),
        });
    }
}

/// A string node.
pub(crate) fn text(raw: impl Into<String>, span: Span) -> Node {
    Node {
        value: Value::Scalar {
            value: Scalar::Str,
            raw: raw.into(),
        },
        span,
    }
}

/// A mapping node.
pub(crate) fn map(entries: Vec<(Node, Node)>, span: Span) -> Node {
    Node {
        value: Value::Map(entries),
        span,
    }
}

/// A sequence node.
pub(crate) fn seq(items: Vec<Node>, span: Span) -> Node {
    Node {
        value: Value::Seq(items),
        span,
    }
}

/// Every span of `node` set to `at`: a document decoded from a string
/// (a JSON policy in a JSON string) is shown where the string is.
pub(crate) fn relocate(node: &mut Node, at: Span) {
    node.span = at;
    match &mut node.value {
        Value::Scalar { .. } => {}
        Value::Seq(items) => items.iter_mut().for_each(|i| relocate(i, at)),
        Value::Map(entries) => {
            for (k, v) in entries {
                relocate(k, at);
                relocate(v, at);
            }
        }
    }
}

/// A policy written as a JSON string (a heredoc, `!Sub |`, a plan's
/// resolved value) read as a document, every span at the string.
pub(crate) fn json_string(s: &str, at: Span) -> Option<Node> {
    let docs = crate::source::read_stream(s, true, &crate::source::Limits::default()).ok()?;
    let mut root = docs.into_iter().next()?.ok()?.root;
    relocate(&mut root, at);
    Some(root)
}

/// A ServiceAccount manifest for a declared one (`metadata` holds `name`,
/// `namespace` and `annotations`).
pub(crate) fn service_account(metadata: Node, span: Span) -> Node {
    map(
        vec![
            (text("apiVersion", span), text("v1", span)),
            (text("kind", span), text("ServiceAccount", span)),
            (text("metadata", span), metadata),
        ],
        span,
    )
}

/// A Pod Identity association as `aws eks describe-pod-identity-association`
/// prints it (`fields`: clusterName, namespace, serviceAccount, roleArn), so
/// that the doctor's association rules see declared ones too.
pub(crate) fn association(id: &str, mut fields: Vec<(Node, Node)>, span: Span) -> Node {
    fields.insert(0, (text("associationId", span), text(id, span)));
    map(vec![(text("association", span), map(fields, span))], span)
}

/// `aws_eks_pod_identity_association`'s arguments and the EKS API's names
/// for them (what the association reader reads), in HCL and in `terraform show -json`.
const ASSOCIATION_FIELDS: &[(&str, &str)] = &[
    ("cluster_name", "clusterName"),
    ("namespace", "namespace"),
    ("service_account", "serviceAccount"),
    ("role_arn", "roleArn"),
];
