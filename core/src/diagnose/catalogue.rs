//! The messages `diagnose` recognises: every runtime error of an IRSA or Pod
//! Identity setup that users paste, with a stable code, how each SDK and CLI
//! words it, what it means, the causes to look for, the fix and the command
//! that confirms it. `irsa-gen diagnose --list` prints these; a released code
//! never changes meaning.
//!
//! Wordings come from the SDKs' credential providers and STS's own error
//! messages as they appear in public issue threads (botocore `ClientError`,
//! Go v1 `awserr` with `caused by:`, Go v2 `operation error STS: ...`, Java
//! `(Service: ...; Error Code: ...)`, JavaScript v3 `...Exception:` names,
//! the Rust SDK's `ProviderError`, aws-cli v1/v2 `An error occurred (...)`).

use serde::Serialize;

/// One recognisable runtime error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Message {
    /// Stable code (`DIAG001`).
    pub code: &'static str,
    /// One line.
    pub title: &'static str,
    /// The text is this message when every needle of one group appears in it
    /// (compared lower-case). Groups are alternatives: one per wording.
    #[serde(skip)]
    pub needles: &'static [&'static [&'static str]],
    /// What happened.
    pub meaning: &'static str,
    /// The causes to look for, most common first.
    pub causes: &'static [&'static str],
    /// The checker's codes whose findings cause this message.
    pub rules: &'static [&'static str],
    /// How to fix it.
    pub fix: &'static str,
    /// What to run to confirm; `{ROLE_ARN}`, `{ISSUER}`, `{ACTION}`,
    /// `{RESOURCE}` are filled from the message when it names them.
    pub confirm: &'static str,
}

/// Every message, most specific first: the first whose needles match wins.
pub const MESSAGES: &[Message] = &[
    Message {
        code: "DIAG009",
        title: "Not authorized to perform sts:TagSession",
        needles: &[&["not authorized to perform", "sts:tagsession"]],
        meaning: "EKS Pod Identity (or a role chain that passes session tags) called sts:AssumeRole with session tags, and the role's trust policy allows sts:AssumeRole but not sts:TagSession.",
        causes: &[
            "The Pod Identity trust lists only sts:AssumeRole for pods.eks.amazonaws.com.",
            "A role chain passes tags (Pod Identity's eks-cluster-arn, kubernetes-namespace...) and the next role does not allow sts:TagSession.",
        ],
        rules: &["IRSA016"],
        fix: "Allow both actions for the principal: \"Action\": [\"sts:AssumeRole\", \"sts:TagSession\"] with \"Principal\": {\"Service\": \"pods.eks.amazonaws.com\"}.",
        confirm: "aws iam get-role --role-name ROLE --query Role.AssumeRolePolicyDocument",
    },
    Message {
        code: "DIAG004",
        title: "The pod used the node's role",
        needles: &[&["assumed-role/", "/i-", "not authorized to perform"]],
        meaning: "The caller in the AccessDenied is an EC2 instance session (assumed-role/NODE-ROLE/i-...): the pod got the node's instance profile credentials from IMDS, not its own role's.",
        causes: &[
            "The pod was not mutated: no AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE in its environment (the ServiceAccount had no eks.amazonaws.com/role-arn annotation when the pod started, or the pod uses another ServiceAccount).",
            "The annotation was added after the pod started: pods are mutated only at creation; restart them.",
            "Static credentials or an old SDK earlier in the chain: an SDK without web identity support falls through to IMDS.",
        ],
        rules: &["IRSA101", "IRSA201", "IRSA203"],
        fix: "Annotate the ServiceAccount with eks.amazonaws.com/role-arn, set serviceAccountName on the pod, then restart it (kubectl rollout restart deployment/NAME); use an SDK version that supports web identity.",
        confirm: "kubectl exec POD -- env | grep AWS_  # AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE must be set\nkubectl exec POD -- aws sts get-caller-identity",
    },
    Message {
        code: "DIAG001",
        title: "Not authorized to perform sts:AssumeRoleWithWebIdentity",
        needles: &[
            &["not authorized to perform sts:assumerolewithwebidentity"],
            &["accessdenied", "assumerolewithwebidentity"],
        ],
        meaning: "STS found the OIDC provider and the token is valid, but no Allow statement of the role's trust policy matched the token: the Federated principal, the action or a condition (sub, aud) did not.",
        causes: &[
            "The sub condition names another namespace or ServiceAccount than the pod's (system:serviceaccount:NAMESPACE:NAME).",
            "A * or ? under StringEquals: it is compared literally; use StringLike.",
            "The Federated principal names the provider in another account or partition, or another cluster's issuer.",
            "The aud condition names another audience than the token's.",
            "The role ARN in the annotation is another role's.",
            "The role is one for another service (its trust names only lambda.amazonaws.com, ec2.amazonaws.com or an account), not the cluster's OIDC provider.",
        ],
        rules: &["IRSA002", "IRSA006", "IRSA008", "IRSA011", "IRSA022", "IRSA301", "IRSA304"],
        fix: "Make the trust's Federated principal the cluster's provider ARN and its StringEquals ISSUER:sub the pod's system:serviceaccount:NAMESPACE:NAME (and ISSUER:aud sts.amazonaws.com).",
        confirm: "irsa-gen simulate --trust trust-policy.json -n NAMESPACE --service-account NAME\naws sts assume-role-with-web-identity --role-arn {ROLE_ARN} --role-session-name test --web-identity-token \"$(kubectl create token NAME -n NAMESPACE --audience sts.amazonaws.com)\"",
    },
    Message {
        code: "DIAG002",
        title: "No OpenIDConnect provider found in your account",
        needles: &[&["no openidconnect provider found"]],
        meaning: "The token's issuer has no IAM OIDC provider in the role's account: STS looked up arn:PARTITION:iam::ACCOUNT:oidc-provider/ISSUER and found none.",
        causes: &[
            "The cluster's IAM OIDC provider was never created (eksctl utils associate-iam-oidc-provider, or the IaC resource).",
            "It was created for another cluster, or in another account than the role's.",
            "The issuer differs by a character: a trailing slash, https://, or another region.",
        ],
        rules: &["IRSA010"],
        fix: "Create the provider for the exact issuer in the role's account: aws iam create-open-id-connect-provider --url {ISSUER} --client-id-list sts.amazonaws.com (or eksctl utils associate-iam-oidc-provider --cluster CLUSTER --approve).",
        confirm: "aws iam list-open-id-connect-providers\naws eks describe-cluster --name CLUSTER --query cluster.identity.oidc.issuer --output text",
    },
    Message {
        code: "DIAG017",
        title: "Couldn't retrieve verification key from your identity provider",
        needles: &[&["couldn't retrieve verification key"], &["could not retrieve verification key"]],
        meaning: "The provider exists, but STS could not fetch the issuer's signing keys (its /.well-known/openid-configuration or JWKS) to verify the token.",
        causes: &[
            "A self-managed issuer (not EKS) whose discovery document or keys are not public over HTTPS.",
            "The issuer's keys were rotated or the bucket serving them is private.",
        ],
        rules: &["IRSA020"],
        fix: "Serve {ISSUER}/.well-known/openid-configuration and its jwks_uri publicly over HTTPS with a valid certificate.",
        confirm: "curl -fsS {ISSUER}/.well-known/openid-configuration",
    },
    Message {
        code: "DIAG003",
        title: "Incorrect token audience",
        needles: &[&["incorrect token audience"]],
        meaning: "The token's aud is not one of the OIDC provider's client IDs (audiences).",
        causes: &[
            "The provider's client ID list lacks sts.amazonaws.com.",
            "The pod's projected token was minted for another audience (eks.amazonaws.com/audience annotation, or a projected volume with another audience).",
        ],
        rules: &["IRSA009", "IRSA302"],
        fix: "Add the token's audience to the provider (aws iam add-client-id-to-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --client-id sts.amazonaws.com), or mint the token for sts.amazonaws.com.",
        confirm: "aws iam get-open-id-connect-provider --open-id-connect-provider-arn PROVIDER_ARN --query ClientIDList",
    },
    Message {
        code: "DIAG006",
        title: "Expired token",
        needles: &[
            &["expiredtoken"],
            &["security token included in the request is expired"],
            &["token is expired"],
        ],
        meaning: "A credential expired: the temporary credentials of the role (about an hour) or the projected ServiceAccount token itself.",
        causes: &[
            "A long-lived client built once with fixed credentials (read the keys once and never refresh).",
            "An SDK too old to re-read the token file: the kubelet rotates it, the process keeps the old one.",
            "A token copied out of the pod and used later.",
        ],
        rules: &[],
        fix: "Let the SDK's default credential chain refresh (build clients from it, not from copied keys); upgrade the SDK to a version with web identity refresh.",
        confirm: "kubectl exec POD -- aws sts get-caller-identity",
    },
    Message {
        code: "DIAG007",
        title: "STS unreachable",
        needles: &[
            &["sts.", "i/o timeout"],
            &["sts.", "dial tcp"],
            &["sts.", "connect timeout"],
            &["sts.", "connecttimeout"],
            &["assumerolewithwebidentity", "i/o timeout"],
            &["assumerolewithwebidentity", "dial tcp"],
            &["could not connect to the endpoint url", "sts."],
            &["unable to execute http request", "sts."],
        ],
        meaning: "The SDK could not reach the STS endpoint to exchange the token: no route, DNS or a firewall.",
        causes: &[
            "The global endpoint sts.amazonaws.com is used from a private subnet: set AWS_STS_REGIONAL_ENDPOINTS=regional (or annotate the ServiceAccount eks.amazonaws.com/sts-regional-endpoints: \"true\").",
            "No NAT and no VPC endpoint for STS (com.amazonaws.REGION.sts) with private DNS.",
            "A NetworkPolicy or security group blocks egress on 443.",
        ],
        rules: &[],
        fix: "Use the regional endpoint (AWS_STS_REGIONAL_ENDPOINTS=regional, AWS_REGION set) and create an interface VPC endpoint for STS in private subnets.",
        confirm: "kubectl exec POD -- env | grep AWS_STS_REGIONAL_ENDPOINTS\nkubectl exec POD -- nslookup sts.REGION.amazonaws.com",
    },
    Message {
        code: "DIAG008",
        title: "SDK too old for EKS Pod Identity",
        needles: &[
            &["169.254.170.23", "invalid endpoint host"],
            &["169.254.170.23", "only loopback"],
            &["169.254.170.23", "unsupported host"],
            &["169.254.170.23", "invalid host"],
        ],
        meaning: "The pod has AWS_CONTAINER_CREDENTIALS_FULL_URI=http://169.254.170.23/v1/credentials (the Pod Identity agent), and the SDK only accepts loopback or ECS hosts there: it predates Pod Identity.",
        causes: &[
            "An SDK older than the Pod Identity minimum versions (AWS SDK for Go v1 before 1.47.11, botocore before 1.33.0, Java v1 before 1.12.746, JavaScript v2 before 2.1478.0).",
        ],
        rules: &[],
        fix: "Upgrade the SDK to a version that supports EKS Pod Identity, or use IRSA for that workload.",
        confirm: "kubectl exec POD -- env | grep AWS_CONTAINER",
    },
    Message {
        code: "DIAG016",
        title: "Token file unreadable",
        needles: &[
            &["serviceaccount/token", "permission denied"],
            &["serviceaccount/token", "no such file"],
        ],
        meaning: "The SDK found AWS_WEB_IDENTITY_TOKEN_FILE but could not read it.",
        causes: &[
            "The container runs as a non-root user and the pod has no fsGroup: the projected token is 0600 for root (older EKS).",
            "The volume is not mounted in this container (an init container or sidecar added later).",
        ],
        rules: &["IRSA204"],
        fix: "Set securityContext.fsGroup on the pod (for example 65534) so the token is readable, and mount the token volume in every container that calls AWS.",
        confirm: "kubectl exec POD -- ls -l /var/run/secrets/eks.amazonaws.com/serviceaccount/",
    },
    Message {
        code: "DIAG015",
        title: "No Pod Identity association",
        needles: &[&["pod identity association"]],
        meaning: "The EKS Pod Identity agent found no association for the pod's namespace and ServiceAccount.",
        causes: &[
            "The association names another namespace or ServiceAccount, or another cluster.",
            "The pod started before the association existed.",
        ],
        rules: &[],
        fix: "Create the association (aws eks create-pod-identity-association --cluster-name CLUSTER --namespace NAMESPACE --service-account NAME --role-arn ROLE_ARN) and restart the pod.",
        confirm: "aws eks list-pod-identity-associations --cluster-name CLUSTER",
    },
    Message {
        code: "DIAG005",
        title: "No credentials found",
        needles: &[
            &["nocredentialproviders"],
            &["unable to locate credentials"],
            &["could not load credentials from any providers"],
            &["unable to load aws credentials from any provider in the chain"],
            &["unable to load credentials from any of the providers in the chain"],
            &["no providers in chain provided credentials"],
            &["no ec2 imds role found"],
            &["failed to retrieve credentials", "no valid providers"],
        ],
        meaning: "No provider of the SDK's default chain produced credentials: no web identity environment, no Pod Identity environment, and IMDS refused or is blocked (hop limit 1).",
        causes: &[
            "The pod was not mutated: the ServiceAccount lacks eks.amazonaws.com/role-arn, the pod names another ServiceAccount, or it started before the annotation.",
            "The pod sets its own AWS_* environment or the webhook skipped it.",
            "The SDK is too old to know web identity and IMDS is blocked.",
        ],
        rules: &["IRSA101", "IRSA201"],
        fix: "Annotate the ServiceAccount with eks.amazonaws.com/role-arn: ROLE_ARN, reference it with serviceAccountName, and restart the pod.",
        confirm: "kubectl get pod POD -o jsonpath='{.spec.serviceAccountName}'\nkubectl exec POD -- env | grep AWS_",
    },
    Message {
        code: "DIAG010",
        title: "Request ARN is invalid",
        needles: &[&["request arn is invalid"]],
        meaning: "The role ARN the SDK passed to STS is not a role ARN of the form arn:PARTITION:iam::ACCOUNT:role/NAME.",
        causes: &[
            "The eks.amazonaws.com/role-arn annotation holds a role name, a policy ARN, or a placeholder.",
            "A typo in the account (not 12 digits) or the partition.",
        ],
        rules: &["IRSA102"],
        fix: "Write the full role ARN in the annotation: arn:aws:iam::111122223333:role/NAME.",
        confirm: "kubectl get sa NAME -n NAMESPACE -o jsonpath='{.metadata.annotations.eks\\.amazonaws\\.com/role-arn}'",
    },
    Message {
        code: "DIAG012",
        title: "Cannot exceed quota for ACLSizePerRole",
        needles: &[&["aclsizeperrole"]],
        meaning: "The trust policy is longer than the role trust policy quota (2048 characters without whitespace by default, at most 8192).",
        causes: &["One statement per ServiceAccount added to the same trust over time."],
        rules: &["IRSA013"],
        fix: "Merge subjects under StringLike or one StringEquals list, split into several roles, or request a quota increase (up to 8192).",
        confirm: "irsa-gen check trust-policy.json --max-trust-policy-length 2048",
    },
    Message {
        code: "DIAG013",
        title: "Packed policy too large",
        needles: &[&["packedpolicytoolarge"], &["packed size"]],
        meaning: "The session policies and session tags passed to STS exceed the packed size limit.",
        causes: &[
            "A large inline session policy or many session tags (Pod Identity adds six).",
        ],
        rules: &[],
        fix: "Shorten the session policy or the tags; attach permissions to the role instead.",
        confirm: "aws sts get-caller-identity",
    },
    Message {
        code: "DIAG011",
        title: "MalformedPolicyDocument",
        needles: &[
            &["malformedpolicydocument"],
            &["trust policy of the role provided is invalid"],
            &["invalid principal in policy"],
        ],
        meaning: "IAM refused a policy document when the role or policy was created or updated.",
        causes: &[
            "A syntax error, or a statement without Resource in a permissions policy.",
            "A Federated principal that is the issuer URL instead of the provider ARN, or a provider that does not exist yet.",
            "An action without its service prefix.",
        ],
        rules: &["IRSA001", "IRSA003", "IRSA017", "IRSA018", "IRSA404"],
        fix: "Fix the document at the position check shows.",
        confirm: "irsa-gen check trust-policy.json",
    },
    Message {
        code: "DIAG014",
        title: "Access denied on a service action",
        needles: &[
            &["is not authorized to perform:"],
            &["because no identity-based policy allows"],
        ],
        meaning: "The role was assumed (IRSA works); its permissions do not allow this action on this resource, or a Deny, a boundary or a resource policy refuses it.",
        causes: &[
            "The permissions policy lacks the action, or names a narrower resource (bucket vs bucket/*).",
            "An explicit Deny (in the role, an SCP or the resource's policy).",
            "The wrong role: the session's role is not the one you edited.",
        ],
        rules: &["IRSA304"],
        fix: "Allow {ACTION} on {RESOURCE} in the role's permissions policy.",
        confirm: "aws iam simulate-principal-policy --policy-source-arn {ROLE_ARN} --action-names {ACTION} --resource-arns {RESOURCE}",
    },
];

/// The message of a code, case-insensitive.
pub fn message(code: &str) -> Option<&'static Message> {
    MESSAGES.iter().find(|m| m.code.eq_ignore_ascii_case(code))
}

/// Every code, in code order (the catalogue is in match order).
pub fn codes() -> Vec<&'static str> {
    let mut codes: Vec<&'static str> = MESSAGES.iter().map(|m| m.code).collect();
    codes.sort_unstable();
    codes
}

/// The first message whose needles all appear in the text.
pub fn recognise(text: &str) -> Option<&'static Message> {
    let lower = text.to_ascii_lowercase();
    MESSAGES.iter().find(|m| {
        m.needles
            .iter()
            .any(|group| group.iter().all(|n| lower.contains(n)))
    })
}
