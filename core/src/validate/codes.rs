//! Every code validation reports, as the checker's [`crate::rules::RULES`]
//! are: title, severity, explanation, an example spec that triggers it, the
//! fix and the runtime failure. `irsa-gen explain SPEC045` prints these; the
//! corpus `tests/fixtures/spec/SPECnnn-*` holds a trigger and a near miss for
//! each. A finding's own help is more precise (it names the value); `fix` is
//! the general answer. Where one code has two severities (SPEC014, SPEC015, SPEC016),
//! the registry gives the higher and the explanation says when it is lower.
//! A released code never changes meaning.

use crate::diagnostic::Severity;
use crate::rules::Rule;

/// Every code of validation, in order.
pub const SPEC_CODES: &[Rule] = &[
    Rule {
        code: "SPEC001",
        severity: Severity::Error,
        title: "The spec is not YAML or JSON",
        explanation: "The spec file could not be parsed: a syntax error (an unclosed bracket or quote, a tab where YAML wants spaces), or input beyond the reader's limits on size, depth, aliases and documents, which stop hostile input. Nothing else is checked.",
        example: "bindings: [ { namespace: prod",
        fix: "Fix the syntax at the position shown, or check that this is the spec file.",
        failure: None,
    },
    Rule {
        code: "SPEC002",
        severity: Severity::Error,
        title: "The spec does not have the spec's shape",
        explanation: "A spec is one YAML (or JSON) document that is a mapping of fields; each field has a type (a string, a list, a mapping). Several documents in one file, a document that is a list or a scalar, or a field of the wrong type stop validation at that point.",
        example: "bindings:\n  namespace: prod   # a list of bindings is expected",
        fix: "Give the field the type the spec expects: `irsa-gen init` prints every field, `irsa-gen schema` the JSON Schema.",
        failure: None,
    },
    Rule {
        code: "SPEC003",
        severity: Severity::Warning,
        title: "Unknown field",
        explanation: "A field the spec does not have is ignored, so a misspelt field silently leaves its default in place (an `serviceAcount` is not the `serviceAccount`). The finding suggests the closest field name.",
        example: "bindings:\n  - namespace: prod\n    serviceAcount: app",
        fix: "Correct the spelling, or remove the field.",
        failure: None,
    },
    Rule {
        code: "SPEC004",
        severity: Severity::Error,
        title: "A required field is missing",
        explanation: "Without accountId, region, the cluster (its OIDC issuer, for IRSA), clusterName (for Pod Identity), at least one binding, a binding's namespace and serviceAccount, or a workload's image, there is nothing correct to generate. An empty spec is reported once.",
        example: "region: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9\n# no accountId",
        fix: "Set the field; `irsa-gen init` prints a starter spec with every required field.",
        failure: None,
    },
    Rule {
        code: "SPEC005",
        severity: Severity::Error,
        title: "A key is written twice in one mapping",
        explanation: "YAML and JSON readers keep one value of a key written twice in the same mapping and drop the other without a word: a second `bindings:` drops every binding of the first, a second `accountId` replaces the account. The finding is at the second key and names the line of the first. The same key in two different mappings is fine, and keys a YAML merge (`<<: *base`) brings in are not written twice.",
        example: "accountId: \"111122223333\"\nregion: us-west-2\naccountId: \"444455556666\"",
        fix: "Keep one of the two, or merge their contents into one (two `bindings:` lists into one list).",
        failure: None,
    },
    Rule {
        code: "SPEC010",
        severity: Severity::Error,
        title: "accountId is not 12 digits",
        explanation: "An AWS account ID is exactly 12 digits and appears in every ARN irsa-gen writes. YAML reads an unquoted 012345678901 as a number and drops the leading zero, which leaves 11 digits.",
        example: "accountId: 012345678901",
        fix: "Write the account ID in quotes: accountId: \"012345678901\" (`aws sts get-caller-identity --query Account --output text`).",
        failure: None,
    },
    Rule {
        code: "SPEC011",
        severity: Severity::Error,
        title: "region is not a region name",
        explanation: "A region code is a partition prefix, an area and a number (us-west-2, eu-central-1, cn-north-1, us-gov-west-1). Anything else (a display name, an availability zone) cannot be the cluster's region and gives no partition.",
        example: "region: us-west-2a",
        fix: "Use the region code, e.g. us-west-2.",
        failure: None,
    },
    Rule {
        code: "SPEC012",
        severity: Severity::Warning,
        title: "region is not one irsa-gen knows",
        explanation: "The region is shaped like one but is not in irsa-gen's list; its partition is taken from its prefix. A region launched after this release is fine; a misspelling is not.",
        example: "region: us-west-9",
        fix: "Check the spelling against `aws ec2 describe-regions`.",
        failure: None,
    },
    Rule {
        code: "SPEC013",
        severity: Severity::Error,
        title: "cluster is neither an OIDC issuer URL nor a cluster ID",
        explanation: "`cluster` (and each of `additionalClusters`) is the cluster's OIDC issuer URL as `aws eks describe-cluster` prints it (https://oidc.eks.REGION.amazonaws.com/id/ID) or its cluster ID. A URL that is not https, has a query, or is otherwise malformed cannot name an IAM OIDC provider.",
        example: "cluster: http://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9",
        fix: "Paste the issuer from `aws eks describe-cluster --name NAME --query cluster.identity.oidc.issuer --output text`.",
        failure: None,
    },
    Rule {
        code: "SPEC014",
        severity: Severity::Warning,
        title: "Cluster ID is not 32 upper-case hex characters",
        explanation: "Every real EKS cluster ID is 32 upper-case hex characters; another ID is a warning (a typo is likelier than a new format). AWS's documentation placeholders (EXAMPLED539D4633E53DE1B71EXAMPLE, EXAMPLED539D4633E53DE1B716D3041E: 32 letters and digits holding EXAMPLE) are what every guide starts from, so they get one info note, not a warning.",
        example: "cluster: EXAMPLED539D4633E53DE1B71EXAMPLE",
        fix: "Compare with the end of the issuer URL `aws eks describe-cluster` prints.",
        failure: None,
    },
    Rule {
        code: "SPEC015",
        severity: Severity::Error,
        title: "The issuer's region does not fit region",
        explanation: "An EKS issuer names its cluster's region. An issuer in another partition than `region` is an error: an OIDC provider and the roles that trust it live in one partition. An issuer in another region of the same partition is a warning: fine only when the workload really calls AWS in another region.",
        example: "region: cn-north-1\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9",
        fix: "Set region to the cluster's region.",
        failure: None,
    },
    Rule {
        code: "SPEC016",
        severity: Severity::Error,
        title: "The issuer is not an EKS issuer irsa-gen can build or recognise",
        explanation: "From a bare cluster ID irsa-gen builds the issuer oidc.eks.REGION.amazonaws.com/id/ID (amazonaws.com.cn in China); in a partition whose EKS issuer host AWS does not document (the isolated ones) it cannot, which is an error. A full URL that is not an EKS issuer (a self-managed cluster, or an undocumented partition) is taken as given, with a warning.",
        example: "region: us-iso-east-1\ncluster: 0A1B2C3D4E5F60718293A4B5C6D7E8F9",
        fix: "Give the full issuer URL from `aws eks describe-cluster`, and make sure an IAM OIDC provider exists for exactly that URL.",
        failure: None,
    },
    Rule {
        code: "SPEC017",
        severity: Severity::Error,
        title: "additionalClusters repeats a cluster or does not apply",
        explanation: "additionalClusters adds issuers to an IRSA trust, one statement each; a cluster listed twice (as cluster or in the list) would repeat a statement. A Pod Identity trust names no cluster (pods.eks.amazonaws.com is the principal), so the field does not apply to it.",
        example: "cluster: 0A1B2C3D4E5F60718293A4B5C6D7E8F9\nadditionalClusters: [0A1B2C3D4E5F60718293A4B5C6D7E8F9]",
        fix: "Remove the duplicate; for Pod Identity, create one association per cluster instead.",
        failure: None,
    },
    Rule {
        code: "SPEC018",
        severity: Severity::Error,
        title: "clusterName is not an EKS cluster name",
        explanation: "An EKS cluster name is 1 to 100 letters, digits, `-` and `_`, starting with a letter or digit. It goes into Pod Identity associations, add-on policies scoped to the cluster and derived role names.",
        example: "clusterName: my cluster",
        fix: "Write the name `aws eks list-clusters` prints.",
        failure: None,
    },
    Rule {
        code: "SPEC020",
        severity: Severity::Error,
        title: "namespace is not a Kubernetes namespace name",
        explanation: "A namespace is a DNS-1123 label: 1 to 63 lower-case letters, digits and `-`, starting and ending with a letter or digit. A token's sub carries it, so a trust for any other name never matches. With `*` or `?` it is a pattern, and the characters around the wildcards are checked.",
        example: "namespace: Production",
        fix: "Use the namespace as `kubectl get namespaces` prints it.",
        failure: None,
    },
    Rule {
        code: "SPEC021",
        severity: Severity::Error,
        title: "serviceAccount is not a ServiceAccount name, or is listed twice",
        explanation: "A ServiceAccount name is a DNS-1123 subdomain: lower-case letters, digits, `-` and `.`, at most 253. An upper-case letter or `_` never matches a real ServiceAccount; a name listed twice in one binding repeats a subject.",
        example: "serviceAccount: s3_writer",
        fix: "Use the ServiceAccount's name as `kubectl get serviceaccounts` prints it; `*` and `?` make a pattern.",
        failure: None,
    },
    Rule {
        code: "SPEC022",
        severity: Severity::Warning,
        title: "namespace pattern spans several namespaces",
        explanation: "A namespace with `*` or `?` lets service accounts of every matching namespace assume the role, and anyone who can create a namespace that matches can get it. `*` alone (or a namespace pattern with serviceAccount `*`) is the whole cluster.",
        example: "namespace: team-*\nserviceAccount: app",
        fix: "Name the namespace, unless every namespace that can match is trusted.",
        failure: None,
    },
    Rule {
        code: "SPEC023",
        severity: Severity::Error,
        title: "Two bindings for one service account",
        explanation: "A ServiceAccount carries one eks.amazonaws.com/role-arn annotation (and has one Pod Identity association), so two bindings for the same namespace and first service account would write two conflicting ServiceAccounts into the same folder.",
        example: "bindings:\n  - {namespace: prod, serviceAccount: app}\n  - {namespace: prod, serviceAccount: app, roleName: other}",
        fix: "Merge the two bindings into one.",
        failure: None,
    },
    Rule {
        code: "SPEC024",
        severity: Severity::Info,
        title: "A pattern gets a trust but no manifests",
        explanation: "A namespace or serviceAccount with `*` or `?` is a StringLike pattern in the trust policy. It names no single ServiceAccount, so no ServiceAccount, Deployment or verification pod is generated for it.",
        example: "serviceAccount: worker-*",
        fix: "Create and annotate each matching ServiceAccount yourself.",
        failure: None,
    },
    Rule {
        code: "SPEC030",
        severity: Severity::Error,
        title: "roleName is not an IAM role name, or is used twice",
        explanation: "An IAM role name is 1 to 64 of A-Z a-z 0-9 and + = , . @ _ -, and unique in the account (with its path, among the spec's bindings). Without roleName irsa-gen derives one from the cluster, namespace and service account that always fits.",
        example: "roleName: s3 writer",
        fix: "Shorten or rename it, or remove roleName to get a derived name; give each binding its own role.",
        failure: None,
    },
    Rule {
        code: "SPEC031",
        severity: Severity::Error,
        title: "rolePath is not an IAM path",
        explanation: "An IAM path starts and ends with `/` and has at most 512 printable ASCII characters without spaces (`/` alone is the default).",
        example: "rolePath: eks",
        fix: "Write it with both slashes, e.g. /eks/.",
        failure: None,
    },
    Rule {
        code: "SPEC032",
        severity: Severity::Error,
        title: "Managed policy ARN is wrong, or too many are attached",
        explanation: "permissionsBoundary and each of managedPolicyArns is a managed policy ARN of the spec's partition: arn:PARTITION:iam::ACCOUNT:policy/PATH/NAME (ACCOUNT `aws` for AWS managed policies). A role holds at most 20 attached managed policies (the default quota is 10, raised on request to 20), counting those of its add-ons.",
        example: "managedPolicyArns: [AmazonS3ReadOnlyAccess]",
        fix: "Write the full ARN, e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess; combine permissions into fewer policies.",
        failure: None,
    },
    Rule {
        code: "SPEC033",
        severity: Severity::Error,
        title: "Role tags IAM refuses",
        explanation: "A role has at most 50 tags. A key is 1 to 128 and a value up to 256 letters, digits, spaces and _ . : / = + - @; keys starting with aws: are reserved for AWS.",
        example: "tags:\n  aws:team: payments",
        fix: "Rename the key (no aws: prefix), shorten the value, or remove tags.",
        failure: None,
    },
    Rule {
        code: "SPEC034",
        severity: Severity::Error,
        title: "Role description IAM refuses",
        explanation: "A role description is at most 1000 characters of tab, newline, carriage return, U+0020 to U+007E and U+00A1 to U+00FF; an emoji or a character beyond U+00FF is refused by CreateRole.",
        example: "description: \"writes uploads ✓\"",
        fix: "Shorten the description and keep to those characters.",
        failure: None,
    },
    Rule {
        code: "SPEC040",
        severity: Severity::Error,
        title: "S3 grant names no valid bucket or prefix",
        explanation: "An S3 bucket name is 3 to 63 lower-case letters, digits, `.` and `-`, starting and ending with a letter or digit, without `..`, `.-` or `-.`, and not shaped like an IP address. A prefix goes into the object ARN as written, so it must not start with `/` nor carry `*`, `?` or `$`, which IAM would read as wildcards or policy variables.",
        example: "s3:\n  - bucket: My-Bucket",
        fix: "Use the bucket's name as S3 shows it and a plain key prefix such as uploads/.",
        failure: None,
    },
    Rule {
        code: "SPEC041",
        severity: Severity::Error,
        title: "secretsManager grant names no valid secret",
        explanation: "A secret is named by its name (1 to 512 of A-Z a-z 0-9 / _ + = . @ -) or by its full ARN, which must be a Secrets Manager secret ARN of the spec's partition.",
        example: "secretsManager:\n  - secret: \"db password\"",
        fix: "Use the secret's name or its ARN from `aws secretsmanager describe-secret`.",
        failure: None,
    },
    Rule {
        code: "SPEC042",
        severity: Severity::Error,
        title: "dynamodb grant names no valid table",
        explanation: "A DynamoDB table name is 3 to 255 of A-Z a-z 0-9 _ . -; the table ARN irsa-gen writes would name no table otherwise.",
        example: "dynamodb:\n  - table: ab",
        fix: "Use the table's name as `aws dynamodb list-tables` prints it.",
        failure: None,
    },
    Rule {
        code: "SPEC043",
        severity: Severity::Error,
        title: "sqs grant names no valid queue",
        explanation: "An SQS queue name is 1 to 80 of A-Z a-z 0-9 _ -, with the suffix .fifo for a FIFO queue (counted in the 80).",
        example: "sqs:\n  - queue: jobs.queue",
        fix: "Use the queue's name as `aws sqs list-queues` prints it.",
        failure: None,
    },
    Rule {
        code: "SPEC044",
        severity: Severity::Error,
        title: "A statement IAM would refuse in a permissions policy",
        explanation: "Each of `statements` is copied into the permissions policy as written, so it must be an IAM statement: a mapping with Effect Allow or Deny, Action (or NotAction), Resource (or NotResource), no Principal (the role is the principal), and only the characters IAM accepts in a policy (tab, newline and U+0020 to U+00FF).",
        example: "statements:\n  - Effect: Allow\n    Action: [s3:ListBucket]",
        fix: "Write it as in an IAM policy: {Effect: Allow, Action: [...], Resource: ...}.",
        failure: Some("MalformedPolicyDocument"),
    },
    Rule {
        code: "SPEC045",
        severity: Severity::Error,
        title: "Add-on irsa-gen cannot write a policy for",
        explanation: "Each of `addons` names a well-known add-on (`irsa-gen addons` lists them), once, with a release irsa-gen has that add-on's upstream policy for, the inputs that add-on takes (hostedZoneArns for external-dns, ...) as ARNs of the spec's partition, and clusterName where the policy is scoped to the cluster.",
        example: "addons:\n  - name: external-dns\n    bucketArns: [arn:aws:s3:::logs]",
        fix: "Follow the finding: the closest name, the releases irsa-gen knows, the inputs the add-on takes.",
        failure: None,
    },
    Rule {
        code: "SPEC046",
        severity: Severity::Warning,
        title: "Add-on policy keeps a `*`",
        explanation: "Where an add-on's upstream policy grants an action on every resource unless told which (Route 53 hosted zones, KMS keys, file systems...), irsa-gen writes the `*` as upstream does and says so. Listing the input the add-on takes narrows it.",
        example: "addons:\n  - name: external-dns   # no hostedZoneArns",
        fix: "Review what the add-on may do; list the scoping ARNs it takes where you know them.",
        failure: None,
    },
    Rule {
        code: "SPEC050",
        severity: Severity::Error,
        title: "Workload Kubernetes or the registry would refuse",
        explanation: "The workload becomes a Deployment: its name and container name are DNS-1123 labels, its image one reference without whitespace (registry/repository:tag or @sha256:digest, at most 1024 characters), its replicas a whole number from 0 to 10000.",
        example: "workload:\n  image: app:1.0\n  container: App",
        fix: "Use lower-case names, a one-word image reference and a whole number of replicas.",
        failure: None,
    },
    Rule {
        code: "SPEC060",
        severity: Severity::Error,
        title: "audience is wrong or does not apply",
        explanation: "The projected token's audience is sts.amazonaws.com in every partition, China included, and the trust's aud condition must name it. sts.amazonaws.com.cn never matches; an empty value or one with spaces is no audience; Pod Identity tokens have their own audience (pods.eks.amazonaws.com), so the field does not apply.",
        example: "region: cn-north-1\naudience: sts.amazonaws.com.cn",
        fix: "Remove audience: the default is right.",
        failure: Some("InvalidIdentityToken: Incorrect token audience"),
    },
    Rule {
        code: "SPEC061",
        severity: Severity::Error,
        title: "tokenExpiration is outside what EKS issues",
        explanation: "tokenExpiration becomes the eks.amazonaws.com/token-expiration annotation of the IRSA ServiceAccount irsa-gen writes: a whole number of seconds from 600 to 86400. The pod identity webhook raises smaller values to 600, and 86400 (24 hours) is the longest token EKS issues. A Pod Identity setup gets no such annotation, so the field does not apply to it.",
        example: "tokenExpiration: 300",
        fix: "Set seconds from 600 to 86400, or remove the field.",
        failure: None,
    },
    Rule {
        code: "SPEC062",
        severity: Severity::Error,
        title: "stsRegionalEndpoints is not true or false",
        explanation: "eks.amazonaws.com/sts-regional-endpoints is read as a boolean by the pod identity webhook; any other value is not one.",
        example: "stsRegionalEndpoints: regional",
        fix: "Write true or false.",
        failure: None,
    },
    Rule {
        code: "SPEC063",
        severity: Severity::Error,
        title: "maxTrustPolicyLength is outside IAM's quota",
        explanation: "maxTrustPolicyLength is the account's ACLSizePerRole quota in characters without whitespace: 2048 by default, 8192 at most after an increase. A value beyond that, zero or not a number, cannot be a quota.",
        example: "maxTrustPolicyLength: 10000",
        fix: "Write the quota your account has (2048 unless raised, at most 8192).",
        failure: None,
    },
    Rule {
        code: "SPEC064",
        severity: Severity::Error,
        title: "Trust policy longer than the quota",
        explanation: "The trust policy irsa-gen would write for the binding (every service account, every cluster) is longer, without whitespace, than maxTrustPolicyLength (ACLSizePerRole: 2048 by default, at most 8192). IAM refuses it when the role is created or updated.",
        example: "maxTrustPolicyLength: 500\nbindings:\n  - namespace: prod\n    serviceAccount: [a, b, c, d, e, f, g, h]",
        fix: "Split the service accounts over several bindings (one role each), use a pattern, or raise the quota and maxTrustPolicyLength.",
        failure: Some("LimitExceeded: Cannot exceed quota for ACLSizePerRole"),
    },
    Rule {
        code: "SPEC065",
        severity: Severity::Error,
        title: "Permissions policy longer than a managed policy can be",
        explanation: "The permissions policy irsa-gen would write for the binding is longer than 6144 characters without whitespace, the most a managed policy holds; the quota cannot be raised.",
        example: "many statements, grants and add-ons in one binding",
        fix: "Move some grants to another binding, or use managed policies (managedPolicyArns).",
        failure: Some("LimitExceeded: Cannot exceed quota for PolicySize"),
    },
];

/// The registered code (case-insensitive).
pub fn spec_code(code: &str) -> Option<&'static Rule> {
    SPEC_CODES
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(code))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_sorted_and_spec() {
        for pair in SPEC_CODES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} {}",
                pair[0].code,
                pair[1].code
            );
        }
        for r in SPEC_CODES {
            assert!(
                r.code.starts_with("SPEC") && r.code.len() == 7,
                "{}",
                r.code
            );
        }
        assert_eq!(spec_code("spec045").map(|r| r.code), Some("SPEC045"));
    }
}
