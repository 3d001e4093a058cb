//! The checker's rules: every diagnostic code with its severity, a long
//! explanation, an example, the fix and the runtime failure it leads to.
//! `irsa-gen explain CODE` and SARIF print these. A released code never
//! changes meaning.
//!
//! Each table is written once, as [`Rule`]s, and `rule_table!` makes two
//! of it: the whole rules (`RULES`, read by `explain` and SARIF) and what a
//! finding carries ([`Help`]: severity, fix, failure; `HELP`, read by every
//! finding). A build that only makes findings (the npm modules) links the
//! second alone, without the long explanations and examples.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};

/// One rule of the checker.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// Stable code (`IRSA004`).
    pub code: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// One line.
    pub title: &'static str,
    /// Why it matters.
    pub explanation: &'static str,
    /// A snippet that triggers it.
    pub example: &'static str,
    /// How to fix it (the diagnostics' help).
    pub fix: &'static str,
    /// The runtime error it leads to, if any.
    pub failure: Option<&'static str>,
}

/// What a finding of a rule carries: the rule's severity, its fix (the
/// diagnostic's help) and its runtime failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Help {
    /// Stable code (`IRSA004`).
    pub code: &'static str,
    /// Severity of its findings.
    pub severity: Severity,
    /// How to fix it (the diagnostics' help).
    pub fix: &'static str,
    /// The runtime error it leads to, if any.
    pub failure: Option<&'static str>,
}

/// One table of rules written once, as two constants of the same codes in
/// the same order: `$rules`, the whole [`Rule`]s, and `$help`, their
/// [`Help`]. What reads only the second does not link the long texts (the
/// checker's and migrate's tables; validation writes its findings' help
/// itself, so its table, `SPEC_CODES`, is read by `explain` alone).
macro_rules! rule_table {
    (
        $(#[$rules_doc:meta])* $rules:ident;
        $(#[$help_doc:meta])* $help:ident;
        $(Rule {
            code: $code:literal,
            severity: $severity:expr,
            title: $title:expr,
            explanation: $explanation:expr,
            example: $example:expr,
            fix: $fix:expr,
            failure: $failure:expr,
        },)*
    ) => {
        $(#[$rules_doc])*
        pub const $rules: &[$crate::rules::Rule] = &[$($crate::rules::Rule {
            code: $code,
            severity: $severity,
            title: $title,
            explanation: $explanation,
            example: $example,
            fix: $fix,
            failure: $failure,
        },)*];
        $(#[$help_doc])*
        pub const $help: &[$crate::rules::Help] = &[$($crate::rules::Help {
            code: $code,
            severity: $severity,
            fix: $fix,
            failure: $failure,
        },)*];
    };
}
pub(crate) use rule_table;

rule_table! {
/// Every rule, by code.
RULES;
/// What the findings of every rule carry, in the order of [`RULES`].
HELP;
    Rule {
        code: "IRSA001",
        severity: Severity::Error,
        title: "Not a policy document",
        explanation: "The file looks like an IAM policy (JSON, or a document with `Statement`) but IAM cannot read it: a syntax error, no `Statement`, or a statement that is not an object. IAM refuses it when the role is created or updated.",
        example: "{ \"Version\": \"2012-10-17\", \"Statment\": [] }",
        fix: "Fix the syntax at the position shown; a trust policy is an object with `Version` and a `Statement` list.",
        failure: Some("MalformedPolicyDocument"),
    },
    Rule {
        code: "IRSA002",
        severity: Severity::Error,
        title: "Nothing allows sts:AssumeRoleWithWebIdentity from an OIDC provider",
        explanation: "IRSA works by calling sts:AssumeRoleWithWebIdentity with the pod's token. The trust policy must have an Allow statement whose principal is `Federated` with the cluster's IAM OIDC provider ARN and whose Action covers sts:AssumeRoleWithWebIdentity. Without it no pod can assume the role (unless it is an EKS Pod Identity trust, which uses `pods.eks.amazonaws.com`). Said of a trust meant for pods: one with a Federated principal, sts:AssumeRoleWithWebIdentity among its actions or an OIDC `sub`/`aud` condition key, or whose role a ServiceAccount's eks.amazonaws.com/role-arn names. A trust of only Service or AWS principals that nothing links to a ServiceAccount is a role for something else (IRSA022).",
        example: "\"Principal\": { \"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/ID\" }, \"Action\": \"sts:AssumeRole\"",
        fix: "Add a statement with \"Principal\": {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID\"} and \"Action\": \"sts:AssumeRoleWithWebIdentity\".",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA003",
        severity: Severity::Error,
        title: "Federated principal is not an OIDC provider ARN",
        explanation: "The Federated principal must be the ARN of the IAM OIDC provider: arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER, where ISSUER is the issuer URL without `https://` and without a trailing slash. The issuer URL itself, an empty value or a malformed account is refused.",
        example: "\"Federated\": \"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"",
        fix: "Write \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\".",
        failure: Some("MalformedPolicyDocument: Federated principals must be valid domain names or SAML metadata ARNs"),
    },
    Rule {
        code: "IRSA004",
        severity: Severity::Error,
        title: "No `sub` condition",
        explanation: "Without a condition on ISSUER:sub, every service account of every namespace in the cluster (and every pod that can mount a token) can assume the role.",
        example: "\"Condition\": { \"StringEquals\": { \"oidc.eks.us-west-2.amazonaws.com/id/ID:aud\": \"sts.amazonaws.com\" } }",
        fix: "Add \"ISSUER:sub\": \"system:serviceaccount:NAMESPACE:NAME\" under StringEquals.",
        failure: None,
    },
    Rule {
        code: "IRSA005",
        severity: Severity::Warning,
        title: "No `aud` condition",
        explanation: "Without a condition on ISSUER:aud the role accepts tokens minted for any audience of the cluster's issuer, not only the ones meant for STS.",
        example: "\"StringEquals\": { \"oidc.eks.us-west-2.amazonaws.com/id/ID:sub\": \"system:serviceaccount:prod:app\" }",
        fix: "Add \"ISSUER:aud\": \"sts.amazonaws.com\" next to the sub condition.",
        failure: None,
    },
    Rule {
        code: "IRSA006",
        severity: Severity::Error,
        title: "Wildcard under StringEquals",
        explanation: "StringEquals compares literally: a `*` or `?` in its value is the character itself and never matches a real service account, so the pod is refused.",
        example: "\"StringEquals\": { \"ISSUER:sub\": \"system:serviceaccount:prod:*\" }",
        fix: "Move the key to StringLike (or write the exact name).",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA007",
        severity: Severity::Warning,
        title: "sub pattern wider than one namespace",
        explanation: "A StringLike pattern such as `system:serviceaccount:*` or `system:serviceaccount:*:*` lets service accounts of many namespaces (anyone who can create a service account anywhere in the cluster) assume the role.",
        example: "\"StringLike\": { \"ISSUER:sub\": \"system:serviceaccount:*:*\" }",
        fix: "Name the namespace: system:serviceaccount:NAMESPACE:* at most.",
        failure: None,
    },
    Rule {
        code: "IRSA008",
        severity: Severity::Error,
        title: "Condition key issuer differs from the principal's provider",
        explanation: "Condition keys are ISSUER:sub and ISSUER:aud where ISSUER is exactly the provider in the statement's Federated principal (no `https://`). A key for another issuer is never present in the request, so the condition fails (or, under a negated operator, never restricts).",
        example: "\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.us-west-2.amazonaws.com/id/AAA\", ... \"oidc.eks.us-west-2.amazonaws.com/id/BBB:sub\"",
        fix: "Use the provider's issuer (the part after `oidc-provider/`) as the key prefix.",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA009",
        severity: Severity::Error,
        title: "aud is not the audience in use",
        explanation: "EKS tokens carry `sts.amazonaws.com` in every partition, China included, unless a ServiceAccount overrides it with eks.amazonaws.com/audience. `sts.amazonaws.com.cn` or a regional STS host never matches.",
        example: "\"ISSUER:aud\": \"sts.amazonaws.com.cn\"",
        fix: "Write \"sts.amazonaws.com\" (or the ServiceAccount's eks.amazonaws.com/audience).",
        failure: Some("InvalidIdentityToken: Incorrect token audience"),
    },
    Rule {
        code: "IRSA010",
        severity: Severity::Error,
        title: "ARN partition does not fit the issuer's region",
        explanation: "Every ARN carries the partition of its region: aws-cn for cn-north-1 and cn-northwest-1, aws-us-gov for us-gov-*, aws elsewhere. A provider ARN in the wrong partition names a provider that cannot exist.",
        example: "\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/ID\"",
        fix: "Use the partition of the issuer's region (arn:aws-cn:... in China).",
        failure: Some("InvalidIdentityToken: No OpenIDConnect provider found in your account"),
    },
    Rule {
        code: "IRSA011",
        severity: Severity::Error,
        title: "sub is not system:serviceaccount:NAMESPACE:NAME",
        explanation: "Service account tokens carry sub = system:serviceaccount:NAMESPACE:NAME with a DNS-1123 namespace and name. Any other shape (a missing prefix, `serviceaccounts`, an upper-case name) never matches.",
        example: "\"ISSUER:sub\": \"system:serviceaccounts:prod:app\"",
        fix: "Write system:serviceaccount:NAMESPACE:NAME exactly.",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA012",
        severity: Severity::Warning,
        title: "sts:AssumeRole with a Federated principal",
        explanation: "A Federated (OIDC) principal assumes roles with sts:AssumeRoleWithWebIdentity; sts:AssumeRole in such a statement grants nothing.",
        example: "\"Principal\": {\"Federated\": \"arn:...:oidc-provider/...\"}, \"Action\": \"sts:AssumeRole\"",
        fix: "Use sts:AssumeRoleWithWebIdentity.",
        failure: None,
    },
    Rule {
        code: "IRSA013",
        severity: Severity::Error,
        title: "Trust policy too long",
        explanation: "A role's trust policy is limited to 2048 characters counted without whitespace (quota ACLSizePerRole; it can be raised to 8192). Many service accounts or clusters in one role hit it.",
        example: "a trust policy listing 40 service accounts",
        fix: "Split the service accounts over several roles, use a StringLike pattern, or raise the quota (at most 8192).",
        failure: Some("LimitExceeded: Cannot exceed quota for ACLSizePerRole"),
    },
    Rule {
        code: "IRSA014",
        severity: Severity::Warning,
        title: "ForAnyValue / ForAllValues on sub or aud",
        explanation: "The set operators are for multi-valued keys; sub and aud are single-valued. ForAllValues holds when the key is absent, and both hide mistakes.",
        example: "\"ForAnyValue:StringEquals\": { \"ISSUER:sub\": [\"system:serviceaccount:prod:app\"] }",
        fix: "Use plain StringEquals (or StringLike) with a list of values.",
        failure: None,
    },
    Rule {
        code: "IRSA015",
        severity: Severity::Info,
        title: "Cluster ID is not 32 upper-case hex characters",
        explanation: "Every real EKS cluster ID is 32 upper-case hex characters. AWS's documentation placeholder (EXAMPLED539D...) is not hex, so this is a note, not an error.",
        example: "\"oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\"",
        fix: "Compare with the issuer `aws eks describe-cluster --query cluster.identity.oidc.issuer` prints.",
        failure: None,
    },
    Rule {
        code: "IRSA016",
        severity: Severity::Error,
        title: "Pod Identity trust without sts:TagSession",
        explanation: "EKS Pod Identity assumes the role with session tags (kubernetes-namespace, kubernetes-service-account...), so the trust must allow sts:TagSession as well as sts:AssumeRole to pods.eks.amazonaws.com.",
        example: "\"Principal\": {\"Service\": \"pods.eks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"",
        fix: "Write \"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"].",
        failure: Some("AccessDenied: not authorized to perform sts:TagSession"),
    },
    Rule {
        code: "IRSA017",
        severity: Severity::Error,
        title: "Permissions policy statement without Resource",
        explanation: "Every statement of an identity (permissions) policy names what it applies to with `Resource` or `NotResource`; IAM refuses a statement without either when the policy is created or attached.",
        example: "{ \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\" }",
        fix: "Add \"Resource\": the ARNs the actions apply to (\"arn:aws:s3:::my-bucket/*\").",
        failure: Some("MalformedPolicyDocument: Policy statement must contain resources."),
    },
    Rule {
        code: "IRSA018",
        severity: Severity::Error,
        title: "Action is not service:Action",
        explanation: "An IAM action is a service prefix and an action name, `s3:GetObject`, with `*` and `?` allowed in the name (`*` alone means every action). IAM refuses any other shape.",
        example: "\"Action\": \"GetObject\"",
        fix: "Prefix the action with its service: \"s3:GetObject\".",
        failure: Some("MalformedPolicyDocument: Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc."),
    },
    Rule {
        code: "IRSA019",
        severity: Severity::Warning,
        title: "IRSA role also trusts the EKS service",
        explanation: "A role for service accounts is assumed by pods with sts:AssumeRoleWithWebIdentity. A statement that also lets `Service: eks.amazonaws.com` call sts:AssumeRole makes it a cluster service role as well: the EKS control plane can use the pods' permissions, and the role's purpose is unclear. (Pod Identity's principal is pods.eks.amazonaws.com, not eks.amazonaws.com.)",
        example: "\"Principal\": {\"Service\": \"eks.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"",
        fix: "Remove the eks.amazonaws.com statement; give the cluster its own service role.",
        failure: None,
    },
    Rule {
        code: "IRSA020",
        severity: Severity::Info,
        title: "Trust for an OIDC issuer other than EKS",
        explanation: "The Federated principal is an OIDC provider that is not an EKS cluster's (GitHub Actions, GitLab, a self-managed cluster...). Its tokens carry that issuer's own `sub` (GitHub's is repo:ORG/REPO:...), so the ServiceAccount rules (IRSA004, IRSA007, IRSA011) do not apply; the IAM rules still do.",
        example: "\"Federated\": \"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com\"",
        fix: "Nothing to fix for IRSA; pin the issuer's `sub` (and `aud`) the way its documentation says.",
        failure: None,
    },
    Rule {
        code: "IRSA021",
        severity: Severity::Warning,
        title: "A key is written twice in a policy",
        explanation: "The same key written twice in one JSON object of a policy (two `Condition` operators `StringEquals`, two `Effect`s): JSON leaves it to the reader which one counts (RFC 8259 says names SHOULD be unique), IAM does not document which it keeps, and most readers keep the last (JSON.parse, Go, Python, serde, Terraform's jsonencode), so the first is lost in silence; irsa-gen's other checks read the last too. Two condition blocks of the same operator are the common case: the conditions of one are dropped, and the policy may allow more than it reads.",
        example: "\"Condition\": { \"StringEquals\": { \"oidc:aud\": \"sts.amazonaws.com\" }, \"StringEquals\": { \"oidc:sub\": \"system:serviceaccount:prod:app\" } }",
        fix: "Write the key once: merge the two objects (one `StringEquals` holding both condition keys).",
        failure: None,
    },
    Rule {
        code: "IRSA022",
        severity: Severity::Info,
        title: "Role trust not for pods: not checked for IRSA",
        explanation: "A Terraform repository or CloudFormation template holds Lambda, EC2 and ECS roles beside the IRSA ones. A trust whose only principals are Service or AWS principals (`lambda.amazonaws.com`, an account), with no Federated principal, no sts:AssumeRoleWithWebIdentity, no OIDC `sub`/`aud` condition key and no Pod Identity service, is not an IRSA or Pod Identity trust, and no ServiceAccount of the set names its role: irsa-gen cannot tell it was meant for pods, so it says so instead of judging it as one (the IAM rules, such as its length, still apply). If a ServiceAccount's eks.amazonaws.com/role-arn names the role, the trust is judged as an IRSA trust (IRSA002).",
        example: "resource \"aws_iam_role\" \"lambda\" { assume_role_policy = jsonencode({ ... Principal = { Service = \"lambda.amazonaws.com\" }, Action = \"sts:AssumeRole\" }) }",
        fix: "Nothing to fix for a role pods do not use. For a pod's role, add a statement with \"Principal\": {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/ISSUER\"} and \"Action\": \"sts:AssumeRoleWithWebIdentity\" (IRSA), or \"Principal\": {\"Service\": \"pods.eks.amazonaws.com\"} and \"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"] (Pod Identity).",
        failure: None,
    },
    Rule {
        code: "IRSA030",
        severity: Severity::Error,
        title: "Wildcard principal: open to any web identity",
        explanation: "`\"Principal\": \"*\"` (or `{\"AWS\": \"*\"}`) is everyone. In an Allow statement that covers sts:AssumeRoleWithWebIdentity it admits a token from any OIDC provider of the role's account, and from the public web identity providers, with whatever sub and aud the conditions leave open: not only this cluster's ServiceAccounts (IAM's Principal element: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous).",
        example: "{ \"Effect\": \"Allow\", \"Principal\": \"*\", \"Action\": \"sts:AssumeRoleWithWebIdentity\" }",
        fix: "Name the cluster's provider: \"Principal\": {\"Federated\": \"arn:aws:iam::ACCOUNT:oidc-provider/ISSUER\"}, with sub and aud conditions.",
        failure: None,
    },
    Rule {
        code: "IRSA101",
        severity: Severity::Error,
        title: "ServiceAccount without eks.amazonaws.com/role-arn",
        explanation: "A workload or a trust policy in the set relies on this ServiceAccount, but it has no eks.amazonaws.com/role-arn annotation, so the webhook injects nothing and the SDK falls back to the node's role.",
        example: "metadata:\n  name: s3-writer\n  # no annotations",
        fix: "Annotate it: eks.amazonaws.com/role-arn: arn:aws:iam::ACCOUNT:role/NAME (then restart the pods).",
        failure: Some("NoCredentialProviders (or the node's role is used)"),
    },
    Rule {
        code: "IRSA102",
        severity: Severity::Error,
        title: "role-arn annotation malformed",
        explanation: "eks.amazonaws.com/role-arn must be arn:PARTITION:iam::ACCOUNT:role/PATH/NAME with a 12-digit account.",
        example: "eks.amazonaws.com/role-arn: arn:aws:iam:123456789012:role/S3Writer",
        fix: "Copy the ARN from `aws iam get-role --role-name NAME --query Role.Arn`.",
        failure: Some("InvalidIdentityToken / AccessDenied when the SDK assumes a role that does not exist"),
    },
    Rule {
        code: "IRSA103",
        severity: Severity::Warning,
        title: "token-expiration out of range",
        explanation: "eks.amazonaws.com/token-expiration is seconds as a string, from 600 to 86400. Smaller values are raised to 600; values that are not whole numbers are ignored.",
        example: "eks.amazonaws.com/token-expiration: \"300\"",
        fix: "Write a whole number from 600 to 86400, quoted (\"3600\").",
        failure: None,
    },
    Rule {
        code: "IRSA104",
        severity: Severity::Error,
        title: "Annotation value is not a string",
        explanation: "Kubernetes annotation values are strings. An unquoted number or boolean (86400, true) makes kubectl refuse the manifest.",
        example: "eks.amazonaws.com/token-expiration: 86400",
        fix: "Quote it: \"86400\".",
        failure: Some("kubectl: cannot unmarshal number into Go struct field ObjectMeta.metadata.annotations of type string"),
    },
    Rule {
        code: "IRSA105",
        severity: Severity::Error,
        title: "Invalid name or namespace",
        explanation: "A ServiceAccount name is a DNS-1123 subdomain, a namespace a DNS-1123 label (lower-case letters, digits, `-`).",
        example: "metadata:\n  name: S3_Writer",
        fix: "Use lower-case letters, digits and `-`.",
        failure: Some("kubectl: metadata.name: Invalid value"),
    },
    Rule {
        code: "IRSA110",
        severity: Severity::Warning,
        title: "Annotation value the webhook reads differently",
        explanation: "The EKS pod identity webhook is a Go program: it reads eks.amazonaws.com/sts-regional-endpoints with strconv.ParseBool (1, t, T, TRUE, true, True, 0, f, F, FALSE, false, False, nothing else) and eks.amazonaws.com/token-expiration with strconv.ParseInt (an optional sign and digits, no spaces or units). A value they refuse is ignored without a word, and the default applies.",
        example: "eks.amazonaws.com/sts-regional-endpoints: \"yes\"\neks.amazonaws.com/token-expiration: \" 3600\"",
        fix: "Write \"true\" or \"false\", and whole seconds with nothing around them (\"3600\").",
        failure: None,
    },
    Rule {
        code: "IRSA111",
        severity: Severity::Warning,
        title: "skip-containers value the webhook reads differently",
        explanation: "The webhook reads the pod's eks.amazonaws.com/skip-containers with Go's CSV reader: names separated by commas, spaces kept (`a, b` names ` b`), quotes only around a whole name. A value it cannot read (a stray quote) skips no container.",
        example: "eks.amazonaws.com/skip-containers: \"app, sidecar\"",
        fix: "Separate the names with commas only: \"app,sidecar\".",
        failure: None,
    },
    Rule {
        code: "IRSA112",
        severity: Severity::Info,
        title: "Role ARN composed by --compose-role-arn",
        explanation: "With --compose-role-arn the webhook completes a role-arn annotation without `arn:` (a role name, with its path) into arn:PARTITION:iam::ACCOUNT:role/NAME, with the account and partition of the node it runs on.",
        example: "eks.amazonaws.com/role-arn: S3WriterRole",
        fix: "Nothing to fix; write the full ARN to be independent of where the webhook runs.",
        failure: None,
    },
    Rule {
        code: "IRSA201",
        severity: Severity::Error,
        title: "Workload runs as the default service account",
        explanation: "The pod has no serviceAccountName (or `default`) while an IRSA ServiceAccount exists in its namespace: it gets no role.",
        example: "spec:\n  template:\n    spec:\n      containers: [...]",
        fix: "Set spec.template.spec.serviceAccountName to the annotated ServiceAccount.",
        failure: Some("NoCredentialProviders (or the node's role is used)"),
    },
    Rule {
        code: "IRSA202",
        severity: Severity::Error,
        title: "serviceAccountName not among the ServiceAccounts",
        explanation: "The pod names a ServiceAccount that is not among the supplied ServiceAccounts of its namespace; the pod is not created, or runs without the role.",
        example: "serviceAccountName: s3-writter",
        fix: "Fix the name, or add the ServiceAccount.",
        failure: Some("pods \"...\" is forbidden: error looking up service account NS/NAME: serviceaccount \"NAME\" not found"),
    },
    Rule {
        code: "IRSA203",
        severity: Severity::Warning,
        title: "Static AWS credentials in the pod",
        explanation: "The AWS SDK credential chain reads environment variables and the shared credentials file before web identity: static keys in the container env, or a mounted ~/.aws/credentials, win over IRSA.",
        example: "env:\n- name: AWS_ACCESS_KEY_ID\n  valueFrom: {secretKeyRef: ...}",
        fix: "Remove AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY and the credentials file; IRSA provides credentials.",
        failure: Some("the static keys' identity is used instead of the role (AccessDenied, or the wrong account)"),
    },
    Rule {
        code: "IRSA204",
        severity: Severity::Info,
        title: "Non-root container without fsGroup",
        explanation: "A container running as a non-root user may be unable to read the projected token file unless the pod sets securityContext.fsGroup.",
        example: "securityContext: {runAsUser: 1000}",
        fix: "Set spec.securityContext.fsGroup (e.g. 65534).",
        failure: Some("WebIdentityErr: failed to retrieve credentials (open .../token: permission denied)"),
    },
    Rule {
        code: "IRSA210",
        severity: Severity::Info,
        title: "Default token lifetime is a range",
        explanation: "When neither the pod nor the ServiceAccount sets eks.amazonaws.com/token-expiration and the webhook runs with its default, it picks the projected token's expirationSeconds at random from 79200 to 86400 for each pod (jitter, so that tokens do not all refresh at once). The preview shows 86400.",
        example: "metadata:\n  name: s3-writer\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/S3Writer",
        fix: "Set eks.amazonaws.com/token-expiration on the ServiceAccount or the pod for a fixed lifetime.",
        failure: None,
    },
    Rule {
        code: "IRSA211",
        severity: Severity::Info,
        title: "Container already configured: left untouched",
        explanation: "A container that already sets a credential variable (AWS_ROLE_ARN or AWS_WEB_IDENTITY_TOKEN_FILE; with Pod Identity AWS_CONTAINER_CREDENTIALS_FULL_URI or AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE), a region variable (AWS_REGION or AWS_DEFAULT_REGION) and AWS_STS_REGIONAL_ENDPOINTS gets nothing from the webhook: no variable and no token mount.",
        example: "env:\n- {name: AWS_ROLE_ARN, value: ...}\n- {name: AWS_REGION, value: eu-west-1}\n- {name: AWS_STS_REGIONAL_ENDPOINTS, value: regional}",
        fix: "Remove the variables to let the webhook configure the container, or mount a token yourself.",
        failure: Some("WebIdentityErr: failed to retrieve credentials (open .../token: no such file or directory)"),
    },
    Rule {
        code: "IRSA212",
        severity: Severity::Info,
        title: "Container keeps its own credential variables",
        explanation: "A container that sets one of the credential variables keeps its values: the webhook adds neither of the pair, only the token mount and the region and STS variables it lacks.",
        example: "env:\n- {name: AWS_WEB_IDENTITY_TOKEN_FILE, value: /custom/token}",
        fix: "Nothing to fix if the values are meant; otherwise remove them.",
        failure: None,
    },
    Rule {
        code: "IRSA213",
        severity: Severity::Error,
        title: "Two volume mounts at one path",
        explanation: "The webhook adds its token mount unless the container has a mount of the same name; a mount of another name at the same path stays, and the API server refuses a container whose mounts share a mountPath.",
        example: "volumeMounts:\n- {name: my-token, mountPath: /var/run/secrets/eks.amazonaws.com/serviceaccount}",
        fix: "Mount your volume elsewhere, or name it aws-iam-token.",
        failure: Some("Pod \"...\" is invalid: spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"...\": must be unique"),
    },
    Rule {
        code: "IRSA214",
        severity: Severity::Warning,
        title: "The token volume's name is taken",
        explanation: "The pod already has a volume with the name of the webhook's token volume (aws-iam-token; eks-pod-identity-token with Pod Identity) that is not a projected ServiceAccount token for the webhook's audience. The webhook then leaves the whole pod unchanged: no env, no mount.",
        example: "volumes:\n- name: aws-iam-token\n  secret: {secretName: mine}",
        fix: "Rename your volume.",
        failure: Some("NoCredentialProviders (or the node's role is used)"),
    },
    Rule {
        code: "IRSA215",
        severity: Severity::Info,
        title: "Pod Identity wins over role-arn",
        explanation: "When a Pod Identity association names the ServiceAccount, the webhook injects the EKS Pod Identity agent's credentials and ignores the eks.amazonaws.com/role-arn annotation.",
        example: "eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/S3Writer  # and an association",
        fix: "Remove the annotation or the association, so that one mechanism is in use.",
        failure: None,
    },
    Rule {
        code: "IRSA216",
        severity: Severity::Error,
        title: "Token lifetime above 2^32 seconds",
        explanation: "The webhook writes the annotation's lifetime into the projected token as it is; the API server refuses an expirationSeconds above 2^32.",
        example: "eks.amazonaws.com/token-expiration: \"9999999999\"",
        fix: "Use a lifetime from 600 to 86400 seconds.",
        failure: Some("spec.volumes[0].projected.sources[0].serviceAccountToken.expirationSeconds: Invalid value: may not specify a duration larger than 2^32 seconds"),
    },
    Rule {
        code: "IRSA301",
        severity: Severity::Error,
        title: "Trust policy does not admit the ServiceAccount",
        explanation: "Trust policies are in the set but none lets this ServiceAccount's token in: its sub system:serviceaccount:NAMESPACE:NAME matches no sub condition.",
        example: "trust sub: system:serviceaccount:prod:app; ServiceAccount: staging/app",
        fix: "Add the ServiceAccount's sub to the trust, or fix the ServiceAccount's name or namespace.",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA302",
        severity: Severity::Error,
        title: "ServiceAccount audience is not the trust's aud",
        explanation: "The ServiceAccount's eks.amazonaws.com/audience (default sts.amazonaws.com) is what its token carries; the trust's aud condition must list it.",
        example: "eks.amazonaws.com/audience: my-audience; trust aud: sts.amazonaws.com",
        fix: "Make the trust's aud and the annotation agree (remove the annotation to use sts.amazonaws.com).",
        failure: Some("InvalidIdentityToken: Incorrect token audience"),
    },
    Rule {
        code: "IRSA303",
        severity: Severity::Error,
        title: "Workload and ServiceAccount in different namespaces",
        explanation: "A pod can only use a ServiceAccount of its own namespace; a workload without metadata.namespace is in `default`.",
        example: "Deployment in `default`, ServiceAccount in `production`",
        fix: "Put the workload in the ServiceAccount's namespace (metadata.namespace).",
        failure: Some("pods \"...\" is forbidden: error looking up service account NS/NAME: serviceaccount \"NAME\" not found"),
    },
    Rule {
        code: "IRSA304",
        severity: Severity::Warning,
        title: "Two ServiceAccounts of the same name with different roles",
        explanation: "A cluster has one ServiceAccount per namespace and name. Two manifests for it with different eks.amazonaws.com/role-arn values mean the one applied last wins, and pods get a role one of the files does not expect (kustomize overlays for different clusters do this on purpose: check them one overlay at a time).",
        example: "base/sa.yaml and prod/sa.yaml: production/app with role A and with role B",
        fix: "Keep one ServiceAccount per namespace and name in each set of files applied together.",
        failure: Some("AccessDenied, or the wrong role's permissions"),
    },
    Rule {
        code: "IRSA401",
        severity: Severity::Error,
        title: "Not valid YAML or JSON",
        explanation: "The file cannot be parsed, so nothing in it is checked and kubectl would refuse it.",
        example: "metadata:\n  name: [unclosed",
        fix: "Fix the syntax at the position shown.",
        failure: None,
    },
    Rule {
        code: "IRSA402",
        severity: Severity::Error,
        title: "Input limit exceeded",
        explanation: "The input exceeds a limit that protects the checker from hostile input (size, nesting depth, alias expansion, number of documents or files). Nothing in it is checked.",
        example: "a YAML alias bomb, or 100,000 nested brackets",
        fix: "Check that the file is what you meant; raise --max-file-size for a genuinely large file.",
        failure: None,
    },
    Rule {
        code: "IRSA403",
        severity: Severity::Error,
        title: "Not the expected kind of document",
        explanation: "A command that needs one kind of document (a ServiceAccount, a Pod or a workload with a pod template, a trust policy) did not find it in its input.",
        example: "irsa-gen inject --service-account deployment.yaml deployment.yaml",
        fix: "Pass the right file: a ServiceAccount to --service-account, a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob as the workload.",
        failure: None,
    },
    Rule {
        code: "IRSA404",
        severity: Severity::Info,
        title: "Statement without a policy document around it",
        explanation: "The text is a statement (`Effect`, `Principal`, `Action`...) or a list of statements, as READMEs paste them, not a whole policy document: IAM takes only a document with `Version` and `Statement`. It is checked as if wrapped in one.",
        example: "{ \"Effect\": \"Allow\", \"Principal\": {\"Federated\": \"...\"}, \"Action\": \"sts:AssumeRoleWithWebIdentity\" }",
        fix: "Wrap it: {\"Version\": \"2012-10-17\", \"Statement\": [ ... ]}.",
        failure: Some("MalformedPolicyDocument (when given to IAM as it is)"),
    },
    Rule {
        code: "IRSA405",
        severity: Severity::Info,
        title: "Placeholders",
        explanation: "The file holds placeholders (${VAR}, $VAR, <ACCOUNT_ID>, <<ACCOUNT-ID>>, {{ .Values.x }}, %s, {arn-aws}, or an upper-case word such as ACCOUNT_ID where an account, region, cluster ID or issuer belongs). A placeholder is an opaque token: it is never an error by itself, and every rule judges the literal text around it. The same token is the same value (a key `${OIDC}:sub` belongs to the principal `.../oidc-provider/${OIDC}`).",
        example: "\"Federated\": \"arn:aws:iam::<ACCOUNT_ID>:oidc-provider/${OIDC_PROVIDER}\"",
        fix: "Fill them to check the real values: irsa-gen check --set ACCOUNT_ID=111122223333 --set OIDC_PROVIDER=oidc.eks... FILE (or --set-file values.env).",
        failure: None,
    },
    Rule {
        code: "IRSA406",
        severity: Severity::Info,
        title: "Unrendered Helm template",
        explanation: "The file is a Go/Helm template (`{{- if ... }}`, `{{ include ... }}`, `{{ .Values.x | quote }}`): it is YAML only once Helm renders it, so it is not checked as it is.",
        example: "{{- if .Values.serviceAccount.create }}\napiVersion: v1\nkind: ServiceAccount",
        fix: "Render it and check the output: helm template RELEASE CHART | irsa-gen check -",
        failure: None,
    },
    Rule {
        code: "IRSA407",
        severity: Severity::Info,
        title: "File type not read",
        explanation: "check reads JSON and YAML (policies, Kubernetes manifests, Helm values, SpicepodSets, read-only AWS and kubectl output), Terraform (.tf, terraform show -json) and CloudFormation templates. This file is of a type it does not read yet (Terraform's JSON syntax, an eksctl ClusterConfig, a shell script, Markdown...), or this part of it is a policy held elsewhere or computed by an expression (jsonencode(local.trust), file(...), !ImportValue), so nothing in it was checked.",
        example: "irsa-gen check main.tf",
        fix: "Check what the file produces instead: the rendered policy JSON (terraform show -json, aws iam get-role) or the manifests.",
        failure: None,
    },
    Rule {
        code: "IRSA408",
        severity: Severity::Info,
        title: "Document not understood",
        explanation: "The document is neither an IAM policy, a Kubernetes object, Helm values with a serviceAccount block nor a SpicepodSet, so nothing in it was checked.",
        example: "name: my-app\nreplicas: 3",
        fix: "If it should have been checked, see which kind it was meant to be: a policy needs `Statement`, a Kubernetes object `kind`.",
        failure: None,
    },
    Rule {
        code: "IRSA409",
        severity: Severity::Warning,
        title: "--set value that fills nothing",
        explanation: "A --set NAME=VALUE (or a line of --set-file) matched no placeholder of the input, so the check ran without it: a misspelt name, or a placeholder written in a style that needs another name (`{{ .Values.a.b }}` is filled by `a.b`).",
        example: "irsa-gen check --set ACCOUNTID=111122223333 trust.json.tpl",
        fix: "Use the placeholder's name as the IRSA405 note lists it.",
        failure: None,
    },
    Rule {
        code: "IRSA410",
        severity: Severity::Info,
        title: "Template unreadable until its placeholders are filled",
        explanation: "The text is not valid JSON or YAML where a placeholder stands (`\"Principal\": ${PRINCIPAL}`, an unquoted `{{ .Values.x }}`): it becomes readable only once the placeholders are filled, so it is not checked as it is.",
        example: "\"Federated\": ${OIDC_PROVIDER_ARN},",
        fix: "Fill the placeholders: irsa-gen check --set NAME=VALUE FILE (or --set-file values.env).",
        failure: None,
    },
    Rule {
        code: "IRSA420",
        severity: Severity::Error,
        title: "Invalid simulation request",
        explanation: "`simulate` was given a role ARN, an account or a context key it cannot use: the role ARN is malformed, the account is not 12 digits or is not the ARN's, or a `--context` key is not one whose value only the caller knows (aws:CurrentTime, aws:SourceIp, sts:RoleSessionName...). Keys the request carries (ISSUER:sub, ISSUER:aud, aws:FederatedProvider, aws:SecureTransport) come from the token and the role; every other key is absent in an AssumeRoleWithWebIdentity request.",
        example: "irsa-gen simulate ... --context aws:SourceAccount=111122223333",
        fix: "Pass --role-arn arn:PARTITION:iam::ACCOUNT:role/NAME (or --account ACCOUNT) and --context only for caller-only keys.",
        failure: None,
    },
    Rule {
        code: "IRSA421",
        severity: Severity::Error,
        title: "Invalid permissions simulation request",
        explanation: "`simulate --policy` decides one request, as IAM does: one action (`service:Name`, no wildcards: a request names the action it calls) on one resource (an ARN, or `*` for actions that take none). A wildcard action, an empty or spaced resource, or an empty context key is not a request, so nothing is decided.",
        example: "irsa-gen simulate --policy policy.json --action 's3:*' --resource '*'",
        fix: "Pass the action the SDK called and the resource of the error message: --action s3:PutObject --resource arn:aws:s3:::bucket/key.",
        failure: None,
    },
    Rule {
        code: "IRSA501",
        severity: Severity::Error,
        title: "Trust names an issuer that is not the cluster's",
        explanation: "The cluster's real issuer (aws eks describe-cluster: cluster.identity.oidc.issuer) is not the one the trust's Federated principal names, yet a ServiceAccount of the cluster uses the role. Tokens carry the cluster's issuer, so the statement never matches them: typical after a cluster is recreated, or a trust copied from another cluster.",
        example: "describe-cluster: .../id/AAAA...; trust: oidc-provider/oidc.eks.REGION.amazonaws.com/id/BBBB...",
        fix: "Point the Federated principal and the condition keys at the cluster's issuer (aws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer).",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA502",
        severity: Severity::Error,
        title: "No OIDC provider for the cluster's issuer in the role's account",
        explanation: "STS looks the token's issuer up among the IAM OIDC providers of the account of the role being assumed. The account's provider list (aws iam list-open-id-connect-providers) has none for the cluster's issuer, so every AssumeRoleWithWebIdentity into that account fails before the trust is read. A role in another account needs its own provider there.",
        example: "{\"OpenIDConnectProviderList\": []}",
        fix: "aws iam create-open-id-connect-provider --url https://ISSUER --client-id-list sts.amazonaws.com in the role's account (in the cluster's: eksctl utils associate-iam-oidc-provider --cluster CLUSTER --approve).",
        failure: Some("InvalidIdentityToken: No OpenIDConnect provider found in your account for https://ISSUER"),
    },
    Rule {
        code: "IRSA503",
        severity: Severity::Error,
        title: "The provider's client IDs lack the audience in use",
        explanation: "STS accepts a token only when its `aud` is one of the provider's client IDs (aws iam get-open-id-connect-provider: ClientIDList). The ServiceAccounts' tokens carry `sts.amazonaws.com`, or the audience their eks.amazonaws.com/audience annotation names, and the provider does not list it.",
        example: "\"ClientIDList\": [\"sts.amazonaws.com.cn\"]",
        fix: "aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --client-id AUDIENCE",
        failure: Some("InvalidIdentityToken: Incorrect token audience"),
    },
    Rule {
        code: "IRSA504",
        severity: Severity::Error,
        title: "The role named does not exist",
        explanation: "A ServiceAccount's role-arn (or a Pod Identity association's roleArn) names a role that a complete dump of its account (aws iam list-roles or get-account-authorization-details, no further pages) does not have: a typo, a deleted role, or a role in another account. IAM identifies a role by account and name, so the path is not compared. A get-role or a truncated list proves nothing absent and is not used.",
        example: "eks.amazonaws.com/role-arn: arn:aws:iam::111122223333:role/app-reader (the account has no app-reader)",
        fix: "Create the role, or point the annotation at the role's real ARN (aws iam get-role --role-name NAME --query Role.Arn).",
        failure: Some("AccessDenied: Not authorized to perform sts:AssumeRoleWithWebIdentity"),
    },
    Rule {
        code: "IRSA505",
        severity: Severity::Error,
        title: "Running pod started before its ServiceAccount's annotation",
        explanation: "The pod identity webhook adds AWS_ROLE_ARN and the token only when a pod is created. A running pod (kubectl get pods: status.phase Running) whose ServiceAccount now has a role-arn, but whose containers lack AWS_ROLE_ARN (or carry an older role), was started before the annotation: it keeps the node's credentials, or the old role, until it is recreated. Containers named in eks.amazonaws.com/skip-containers and pods with Pod Identity's container credentials are left alone.",
        example: "status.phase: Running; env: [] (ServiceAccount annotated with eks.amazonaws.com/role-arn)",
        fix: "Restart it: kubectl delete pod NAME -n NAMESPACE (its controller recreates it), or kubectl rollout restart deployment/NAME -n NAMESPACE.",
        failure: Some("NoCredentialProviders, or the node's role is used"),
    },
    Rule {
        code: "IRSA506",
        severity: Severity::Error,
        title: "Pod Identity association's role does not trust pods.eks.amazonaws.com",
        explanation: "For a Pod Identity association, EKS Auth assumes the association's role as the service principal pods.eks.amazonaws.com with sts:AssumeRole and sts:TagSession, tagging the session with the cluster, namespace and ServiceAccount. The role's trust (from the role dump), asked of the evaluator with that request, denies it.",
        example: "\"Principal\": {\"Service\": \"ec2.amazonaws.com\"}, \"Action\": \"sts:AssumeRole\"",
        fix: "Add a statement with \"Principal\": {\"Service\": \"pods.eks.amazonaws.com\"} and \"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"] (aws iam update-assume-role-policy --role-name NAME --policy-document file://trust-policy.json).",
        failure: Some("AccessDeniedException from eks-auth:AssumeRoleForPodIdentity: the Pod Identity Agent returns no credentials"),
    },
    Rule {
        code: "IRSA507",
        severity: Severity::Error,
        title: "Pod Identity associations without the agent add-on",
        explanation: "Pods of an associated ServiceAccount get AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials, which the EKS Pod Identity Agent serves on every node. The cluster's add-on list (aws eks list-addons, no further pages) has no eks-pod-identity-agent, and no DaemonSet of that name is in the set.",
        example: "{\"addons\": [\"vpc-cni\", \"coredns\", \"kube-proxy\"]}",
        fix: "aws eks create-addon --cluster-name CLUSTER --addon-name eks-pod-identity-agent",
        failure: Some("the SDK cannot reach http://169.254.170.23/v1/credentials (connection refused or timed out)"),
    },
    Rule {
        code: "IRSA508",
        severity: Severity::Warning,
        title: "ServiceAccount with both an IRSA annotation and a Pod Identity association",
        explanation: "An association wins over the eks.amazonaws.com/role-arn annotation for pods created after it: new pods get the association's role through the Pod Identity Agent, and the annotation's role is no longer used. Two roles for one ServiceAccount is a migration half done. When both name the same role (`identityType: both`, a migration's transition), new pods get that role either way and nothing is said.",
        example: "eks.amazonaws.com/role-arn on prod/app, and aws eks list-pod-identity-associations lists prod/app",
        fix: "Keep one: remove the annotation (kubectl annotate serviceaccount NAME -n NAMESPACE eks.amazonaws.com/role-arn-), or delete the association (aws eks delete-pod-identity-association --cluster-name CLUSTER --association-id ID).",
        failure: None,
    },
}

/// What the findings of `rules` carry, rule by rule (the `$help` of a
/// table, as its tests compare it).
#[cfg(test)]
pub(crate) fn carried(rules: &[Rule]) -> Vec<Help> {
    rules
        .iter()
        .map(|r| Help {
            code: r.code,
            severity: r.severity,
            fix: r.fix,
            failure: r.failure,
        })
        .collect()
}

/// The rule of a code (case-insensitive), as its findings carry it.
pub fn rule(code: &str) -> Option<&'static Help> {
    HELP.iter().find(|r| r.code.eq_ignore_ascii_case(code))
}

/// A diagnostic of a rule, with the rule's severity, help and failure.
/// An unknown code gives an error-level diagnostic with the message alone.
pub fn diagnostic(code: &str, message: impl Into<String>) -> Diagnostic {
    match rule(code) {
        Some(r) => {
            let d = Diagnostic::new(r.code, r.severity, message, r.fix);
            match r.failure {
                Some(f) => d.failure(f),
                None => d,
            }
        }
        None => Diagnostic::error(code, message, ""),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_sorted() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        assert_eq!(rule("irsa004").map(|r| r.code), Some("IRSA004"));
    }

    /// The two constants of a table are one table: same codes, same order,
    /// the same severity, fix and failure.
    #[test]
    fn help_is_the_rules_as_findings_carry_them() {
        assert_eq!(carried(RULES), HELP);
    }
}
