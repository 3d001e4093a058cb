// Types of the irsa-gen npm module. Hand-written, and checked against the Rust
// types by wasm/tests/dts.rs: each interface lists exactly the fields serde
// reads or writes. Keep one field per line.

/** How serious a finding is. */
export type Severity = "error" | "warning" | "info";

/** One finding, exactly as `irsa-gen --format json` prints it. */
export interface Diagnostic {
  /** Stable code (`SPEC010`, `IRSA004`). */
  code: string;
  severity: Severity;
  /** What is wrong, in one sentence. */
  message: string;
  /** How to fix it. */
  help: string;
  /** The runtime error this leads to (`AccessDenied ...`), if any. */
  failure: string | null;
  /** The file name (for text input given `options.file`, else null). */
  file: string | null;
  /** The field path (`bindings[1].namespace`). */
  path: string | null;
  /** 1-based line in the text (null for a spec given as an object). */
  line: number | null;
  /** 1-based column. */
  column: number | null;
}

/** The failure half of every result: every problem found at once. */
export interface Failure {
  ok: false;
  diagnostics: Diagnostic[];
}

/** `irsa` (default), EKS Pod Identity, or `both` (a migration's transition: OIDC and Pod Identity). */
export type IdentityType = "irsa" | "pod-identity" | "both";

/** The input document: the same camelCase fields as a spec file (see `irsa-gen init`). */
export interface Spec {
  /** 12-digit account ID of the roles (a string keeps leading zeros). */
  accountId?: string | number;
  /** 12-digit account ID of the EKS cluster when it is not the roles' (default accountId). Pod Identity across accounts is refused by generation (SPEC066) and planned by `migrate()` as role chaining. */
  clusterAccountId?: string | number;
  /** The cluster's region; the partition follows from it. */
  region?: string;
  /** OIDC issuer URL or cluster ID. */
  cluster?: string;
  clusterName?: string;
  /** More issuers trusted by every role (one statement each). */
  additionalClusters?: string[];
  /** Create each cluster's IAM OIDC provider (default false: every format looks it up and stops early when it is missing). */
  createOidcProvider?: boolean;
  identityType?: IdentityType;
  /** Token audience (default `sts.amazonaws.com`, in every partition). */
  audience?: string;
  /** Token lifetime in seconds, 600 to 86400. */
  tokenExpiration?: string | number;
  stsRegionalEndpoints?: string | boolean;
  /** Trust policy size quota, default 2048, at most 8192. */
  maxTrustPolicyLength?: string | number;
  /** One IAM role each. */
  bindings?: BindingSpec[];
}

/** One role and the service accounts that may assume it. */
export interface BindingSpec {
  namespace?: string;
  /** A name, a pattern with `*`, or a list of them. */
  serviceAccount?: string | string[];
  roleName?: string;
  rolePath?: string;
  /** Description of the IAM role (free text, up to 1000 characters). */
  description?: string;
  permissionsBoundary?: string;
  tags?: Record<string, string | number | boolean>;
  permissions?: Permissions;
  workload?: WorkloadSpec;
}

/** What a role may do. */
export interface Permissions {
  managedPolicyArns?: string[];
  s3?: S3Grant[];
  secretsManager?: SecretGrant[];
  dynamodb?: TableGrant[];
  sqs?: QueueGrant[];
  /** Well-known add-on policies (external-dns, karpenter, ...), scoped by their inputs. */
  addons?: AddonGrant[];
  /** Raw IAM statements, copied as given. */
  statements?: Record<string, unknown>[];
}

export interface S3Grant {
  bucket: string;
  prefix?: string;
  access?: "read" | "write" | "read-write";
}

/** The add-ons irsa-gen knows (`irsa-gen addons` lists them with their inputs). */
export type AddonName =
  | "aws-load-balancer-controller"
  | "aws-load-balancer-controller-targetgroupbinding-only"
  | "external-dns"
  | "cert-manager"
  | "aws-privateca-issuer"
  | "cluster-autoscaler"
  | "karpenter"
  | "node-termination-handler"
  | "ebs-csi"
  | "efs-csi"
  | "fsx-lustre-csi"
  | "fsx-openzfs-csi"
  | "mountpoint-s3-csi"
  | "external-secrets"
  | "vpc-cni"
  | "velero"
  | "amazon-managed-prometheus"
  | "cloudwatch-observability"
  | "aws-gateway-controller"
  | "appmesh-controller"
  | "appmesh-envoy-proxy";

/** An add-on's permissions, scoped by the ARNs given (each add-on takes only some). */
export interface AddonGrant {
  /** `external-dns`, `cert-manager`, `karpenter`, ... */
  name: AddonName;
  /** The controller release you run (`"1.14"`, `"v0.37.5"`), where its policy changed between releases; the current policy without it. */
  version?: string;
  hostedZoneArns?: string[];
  bucketArns?: string[];
  kmsKeyArns?: string[];
  fileSystemArns?: string[];
  secretArns?: string[];
  parameterArns?: string[];
  queueArns?: string[];
  workspaceArns?: string[];
  nodeRoleArns?: string[];
  targetGroupArns?: string[];
  certificateAuthorityArns?: string[];
}

export interface SecretGrant {
  secret: string;
}

export interface TableGrant {
  table: string;
  access?: "read" | "read-write";
}

export interface QueueGrant {
  queue: string;
  access?: "consume" | "send";
}

/** The Deployment that runs under the service account. */
export interface WorkloadSpec {
  name?: string;
  image?: string;
  container?: string;
  replicas?: string | number;
}

/** Options of `generate` and `validateSpec`. */
export interface SpecOptions {
  /** The file name diagnostics of a text spec carry. */
  file?: string;
}

/** An OIDC issuer, normalised (host and path, no scheme). */
export interface Issuer {
  hostPath: string;
  region: string | null;
  clusterId: string | null;
}

/** A spec after validation: defaults filled, issuers normalised. */
export interface ValidSpec {
  accountId: string;
  /** The cluster's account: `clusterAccountId`, or `accountId` when not given. */
  clusterAccountId: string;
  region: string;
  partition: "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f";
  identityType: IdentityType;
  issuers: Issuer[];
  clusterName: string | null;
  createOidcProvider: boolean;
  audience: string;
  tokenExpiration: number | null;
  stsRegionalEndpoints: boolean | null;
  maxTrustPolicyLength: number;
  bindings: ValidBinding[];
}

/** A validated binding. */
export interface ValidBinding {
  namespace: string;
  serviceAccounts: string[];
  roleName: string;
  rolePath: string;
  description: string | null;
  permissionsBoundary: string | null;
  tags: Record<string, string>;
  permissions: Permissions;
  workload: ValidWorkload | null;
}

/** A validated workload. */
export interface ValidWorkload {
  name: string;
  image: string;
  container: string;
  replicas: number;
}

/** What `validateSpec` returns. */
export type ValidateResult = Validation | Failure;

export interface Validation {
  ok: true;
  spec: ValidSpec;
  /** Warnings and notes; never an error. */
  warnings: Diagnostic[];
}

/** The `--only` names of the artefacts. */
export type ArtefactKind =
  | "trust-policy"
  | "permissions-policy"
  | "serviceaccount"
  | "deployment"
  | "verify-pod"
  | "setup"
  | "eksctl-cluster"
  | "eksctl"
  | "main"
  | "cloudformation"
  | "cloudformation-json"
  | "helm-values"
  | "spicepodset"
  | "pod-identity";

/** The text format of an artefact. */
export type Format = "json" | "yaml" | "shell" | "hcl";

/** One generated file. */
export interface Artefact {
  kind: ArtefactKind;
  /** `trust-policy.json`, `serviceaccount.yaml`, `setup.sh`, `main.tf`, ... */
  file: string;
  format: Format;
  /** The documents of the file as plain objects (none for scripts and HCL). */
  documents: Record<string, unknown>[];
  /** The file's exact text, byte for byte what the CLI writes. */
  text: string;
}

/** Everything generated for one binding (one IAM role). */
export interface Binding {
  namespace: string;
  serviceAccounts: string[];
  roleName: string;
  roleArn: string;
  /** `NAMESPACE/SERVICE_ACCOUNT`: the CLI's folder for this binding when a spec has several. */
  dir: string;
  artefacts: Artefact[];
}

/** What `generate` returns. */
export type GenerateResult = Generated | Failure;

export interface Generated {
  ok: true;
  bindings: Binding[];
  /** Warnings and notes of the spec; never an error. */
  warnings: Diagnostic[];
}

/** One file for `check`: its name (as findings show it) and its whole text. */
export interface SourceFile {
  name: string;
  text: string;
}

/** Options of `check`. */
export interface CheckOptions {
  /** Trust policy size quota (ACLSizePerRole), 1 to 8192; default 2048. */
  maxTrustPolicyLength?: number;
  /** Values for placeholders (`${NAME}`, `<NAME>`, `{{ .Values.NAME }}`...), as the CLI's `--set NAME=VALUE`. */
  set?: Record<string, string>;
}

/** What `check` returns: `ok` is false when a finding is at error level. */
export interface CheckResult {
  ok: boolean;
  diagnostics: Diagnostic[];
  /** The CLI's summary line: findings by severity and the inputs by kind (`1 trust policy, 1 ServiceAccount`). */
  summary: string;
}

/** The ServiceAccount token `simulate` decides for. */
export interface Claims {
  namespace: string;
  serviceAccount: string;
  /** Default `sts.amazonaws.com`. */
  audience?: string;
  /** The cluster's issuer; default: every provider the trust names. */
  issuer?: string;
  /**
   * The role's ARN. STS looks the token's issuer up among the OIDC providers of
   * the role's own account and partition: a statement naming another account's
   * or partition's provider never applies. Without it (or `account`), the account
   * of the trust's first OIDC provider is assumed (see `role` in the result).
   */
  roleArn?: string;
  /** The role's account when its ARN is not given; the partition is the issuer region's. */
  account?: string;
  /** Keys only the caller knows (`aws:SourceIp`, `aws:CurrentTime`, `sts:RoleSessionName`...): a value or a list. */
  context?: Record<string, string | string[]>;
}

/** Options of `simulate`. */
export interface SimulateOptions {
  /** Values for placeholders in the trust, as the CLI's `--set NAME=VALUE`. */
  set?: Record<string, string>;
}

/** `Conditional`: the decision depends on keys only the caller knows (`dependsOn`). */
export type Decision = "Allow" | "Deny" | "Conditional";

/** The role's partition and account STS looks a provider up in. */
export interface Role {
  partition: string;
  account: string;
}

/** A statement that never applies: it names the issuer's provider in another account or partition. */
export interface ForeignProvider {
  statement: number;
  provider: string;
  reason: string;
}

/** The decision for one OIDC provider of the trust. */
export interface ProviderResult {
  provider: string;
  /** null for a Pod Identity trust. */
  role: Role | null;
  decision: Decision;
  /** The deciding statement (0-based). */
  statement: number | null;
  /** The deciding condition (`StringEquals ...:sub`). */
  condition: string | null;
  reason: string;
  /** For `Conditional`: the caller-only keys that decide (give them in `context`). */
  dependsOn: string[];
  foreign: ForeignProvider[];
}

export type RoleSource = "roleArn" | "account" | "assumed" | "none";

/** The role the simulation decided for, and where its account comes from. */
export interface RoleAssumption {
  source: RoleSource;
  arn: string | null;
  account: string | null;
  note: string;
}

/** What `simulate` returns. `ok` means the trust and the request could be read; see `decision`. */
export type SimulateResult = Simulation | Failure;

export interface Simulation {
  ok: true;
  /** Allow when some provider allows; else Conditional when one depends on caller-only keys; else Deny. */
  decision: Decision;
  role: RoleAssumption;
  results: ProviderResult[];
}

/** The request of `simulatePolicy`, as `irsa-gen simulate --policy` gives it. */
export interface PolicyRequest {
  /** One action, `service:Name` (`s3:PutObject`). */
  action: string;
  /** The resource's ARN (`arn:aws:s3:::bucket/key`), or `*`. */
  resource: string;
  /** Context keys' values (any key; conditions and policy variables): a value or a list. A key not given is unknown. */
  context?: Record<string, string | string[]>;
  /** The role's permissions boundary. */
  boundary?: SourceFile;
}

/** Which policies decided. */
export type PolicySet = "identity" | "boundary";

/** The element of a statement that keeps it from applying. */
export type PolicyElement = "Action" | "Resource" | "Condition";

/** A statement, located in its file. */
export interface StatementRef {
  file: string;
  /** Position in `Statement` (0-based). */
  index: number;
  sid: string | null;
  effect: "Allow" | "Deny" | null;
  line: number;
  column: number;
}

/** For an implicit deny: what the nearest Allow statement lacks (the action, a wider resource, a condition), and where. */
export interface Missing {
  element: PolicyElement;
  detail: string;
  /** The element's values as written: the actions, or the resource ARNs (empty for a condition). */
  values: string[];
  line: number;
  column: number;
}

/** The decision of one set of policies: the identity policies, or the boundary. */
export interface SetDecision {
  decision: Decision;
  /** True for a Deny by a Deny statement. */
  explicit: boolean;
  statement: StatementRef | null;
  reason: string;
  /** For `Conditional`: the context keys whose values decide. */
  dependsOn: string[];
  missing: Missing | null;
}

/** What `simulatePolicy` returns. `ok` means the policies and the request could be read; see `decision`. */
export type PolicySimulationResult = PolicySimulation | Failure;

export interface PolicySimulation extends PolicyDecision {
  ok: true;
}

/** The decision for one action on one resource (`simulatePolicy`'s, and `diagnose`'s for an AccessDenied on a service action). */
export interface PolicyDecision {
  decision: Decision;
  action: string;
  resource: string;
  decidedBy: PolicySet;
  /** The deciding set's own fields. */
  explicit: boolean;
  statement: StatementRef | null;
  reason: string;
  dependsOn: string[];
  missing: Missing | null;
  identity: SetDecision;
  boundary: SetDecision | null;
}

/** The webhook's flags (amazon-eks-pod-identity-webhook); ServiceAccount and pod annotations override some. */
export interface InjectOptions {
  /** `--aws-default-region`: adds AWS_DEFAULT_REGION and AWS_REGION. */
  region?: string;
  /** `--sts-regional-endpoint`: the default for AWS_STS_REGIONAL_ENDPOINTS=regional. */
  stsRegionalEndpoints?: boolean;
  /** `--token-expiration` in seconds (raised to 600 at least; default: 79200 to 86400, picked per pod). */
  tokenExpiration?: number;
  /** `--token-audience` (default `sts.amazonaws.com`). */
  audience?: string;
  /** `--annotation-prefix` (default `eks.amazonaws.com`). */
  annotationPrefix?: string;
  /** `--token-mount-path` (default `/var/run/secrets/eks.amazonaws.com/serviceaccount`). */
  tokenMountPath?: string;
  /** `--compose-role-arn`: a role-arn without `arn:` is a role name in this account and partition. */
  composeRoleArn?: { account: string; partition: string };
  /** EKS Pod Identity: an association names the ServiceAccount. */
  podIdentity?: boolean;
  /** `--container-credentials-audience` (default `pods.eks.amazonaws.com`). */
  containerCredentialsAudience?: string;
  /** `--container-credentials-token-mount-path` (default `/var/run/secrets/pods.eks.amazonaws.com/serviceaccount`). */
  containerCredentialsMountPath?: string;
  /** `--container-credentials-token-volume-name` (default `eks-pod-identity-token`). */
  containerCredentialsVolumeName?: string;
  /** `--container-credentials-token-path` (default `eks-pod-identity-token`). */
  containerCredentialsTokenPath?: string;
  /** `--container-credentials-full-uri` (default `http://169.254.170.23/v1/credentials`). */
  containerCredentialsFullUri?: string;
  /** The file name findings in the ServiceAccount carry (default `serviceaccount`). */
  serviceAccountFile?: string;
  /** The file name findings in the workload carry (default `workload`). */
  workloadFile?: string;
  /** Values for placeholders in both documents, as the CLI's `--set NAME=VALUE`. */
  set?: Record<string, string>;
}

/** What `inject` returns. */
export type InjectResult = Injected | Failure;

export interface Injected {
  ok: true;
  /** The admitted document in the workload's own format (YAML or JSON). */
  text: string;
  /** The same document as an object. */
  document: Record<string, unknown>;
  /** What the webhook reads differently, leaves alone, or what the API server would refuse. */
  findings: Diagnostic[];
}

/** Options of `diagnose`: what the CLI takes beside the message. */
export interface DiagnoseOptions {
  /** Your files (trust policy, ServiceAccount, workload, IaC), as `check` takes them. */
  files?: SourceFile[];
  /** The pod's projected token (a compact JWT): decoded, never verified. */
  token?: string;
  /** The time to compare the token's `exp` with, in seconds since the epoch (default: now). */
  now?: number;
}

/** A runtime error `diagnose` recognises (`irsa-gen diagnose --list`). */
export interface DiagnoseMessage {
  /** Stable code (`DIAG001`). */
  code: string;
  title: string;
  /** What happened. */
  meaning: string;
  /** The causes to look for, most common first. */
  causes: string[];
  /** The checker's codes whose findings cause this message. */
  rules: string[];
  /** How to fix it (a template; `fix` of the result has the message's values filled in). */
  fix: string;
  /** What to run to confirm (a template, likewise). */
  confirm: string;
}

/** The values the message names; each null when it does not. */
export interface Extracted {
  roleArn: string | null;
  sessionName: string | null;
  account: string | null;
  issuer: string | null;
  action: string | null;
  resource: string | null;
  region: string | null;
  endpoint: string | null;
}

/** The token's claims that decide IRSA (decoded, never verified). */
export interface TokenFacts {
  /** Why the text is not a JWT, when it is not (the rest is then empty). */
  error: string | null;
  iss: string | null;
  sub: string | null;
  aud: string[];
  exp: number | null;
  iat: number | null;
  /** `kubernetes.io.namespace`. */
  namespace: string | null;
  /** `kubernetes.io.serviceaccount.name`. */
  serviceAccount: string | null;
  /** `kubernetes.io.pod.name`. */
  pod: string | null;
  /** Seconds from `now` to `exp` (negative: expired). */
  expiresIn: number | null;
}

/** A trust policy's decision for the token's claims. */
export interface Evaluation {
  decision: Decision;
  /** The deciding statement (0-based). */
  statement: number | null;
  /** The deciding condition (`StringEquals ...:sub`). */
  condition: string | null;
  reason: string;
  dependsOn: string[];
  foreign: ForeignProvider[];
}

export interface TrustDecision {
  /** The trust policy's file. */
  file: string;
  evaluation: Evaluation;
}

/** What `diagnose` returns: exactly `irsa-gen diagnose --format json`. */
export interface Diagnosis {
  /** The message recognised; null: not recognised (see `known`). */
  message: DiagnoseMessage | null;
  extracted: Extracted;
  /** The fix, with what the message names filled in. */
  fix: string | null;
  /** What to run to confirm, filled in likewise. */
  confirm: string | null;
  /** What the evidence shows, one sentence each. */
  facts: string[];
  /** The check findings in the files that lead to this message. */
  evidence: Diagnostic[];
  /** Error-level findings of the files that do not lead to this message. */
  otherErrors: number;
  /** How many files were given. */
  files: number;
  /** The token's claims, when a token was given. */
  token: TokenFacts | null;
  /** The trust policies' decisions for the token's claims. */
  decisions: TrustDecision[];
  /** For an AccessDenied on a service action: the permissions policies among the files, decided for its action and resource. */
  permissions: PolicyDecision | null;
  /** When not recognised: the codes that are. */
  known: string[];
}

/** Where `migrate` goes: `--to pod-identity|irsa`. */
export type MigrateTarget = "pod-identity" | "irsa";

/** Options of `migrate`: the CLI's `--to`, and the files beside the spec. */
export interface MigrateOptions {
  to: MigrateTarget;
  /** The file name findings in a text spec carry. */
  file?: string;
  /** Workload manifests or `kubectl get -o yaml` dumps (and ServiceAccounts): restarted in phase 2, checked for Fargate, Windows and hostNetwork. */
  workloads?: SourceFile[];
}

/** The direction of a plan. */
export type MigrationDirection = "to-pod-identity" | "to-irsa";

/** One file of a migration plan. */
export interface PlanFile {
  /** Relative to the plan's folder: `PLAN.md`, `phase-1/apply.sh`, `phase-3/ROLE.trust.json`. */
  path: string;
  /** Its exact text, byte for byte what `irsa-gen migrate --output-dir` writes. */
  text: string;
}

/** One phase of a migration plan. */
export interface Phase {
  /** 1, 2 or 3. */
  number: number;
  /** What it does, in one line. */
  title: string;
  /** Its files (`apply.sh`, `rollback.sh`, the trusts and ServiceAccounts after it). */
  files: PlanFile[];
}

/** What `migrate` returns: the plan, or why there is none (a spec error, an unreadable workload, a blocker). */
export type MigrateResult = Migration | Failure;

export interface Migration {
  ok: true;
  direction: MigrationDirection;
  /** The MIG findings beside the plan: warnings and notes (an error blocks it). */
  diagnostics: Diagnostic[];
  /** Warnings and notes of the spec; never an error. */
  warnings: Diagnostic[];
  phases: Phase[];
  /** Every file: `PLAN.md`, then each phase's, as the CLI writes them. */
  files: PlanFile[];
}

/**
 * Options of `migrateTrust`: the flags of `irsa-gen migrate --trust FILE`.
 * Going back to IRSA needs `clusterArn`; `targetRoleArn` needs `clusterArn`,
 * and `sourceRoleName` and `sourceTrust` need `targetRoleArn` (else a TypeError, as the CLI refuses them).
 */
export interface MigrateTrustOptions {
  to: MigrateTarget;
  /** The OIDC issuer URL of the cluster that moves (`--issuer`). */
  issuer: string;
  /** The cluster's ARN: scopes the Pod Identity statement (to Pod Identity), says which Pod Identity statements are this cluster's (back to IRSA). */
  clusterArn?: string;
  /** The file name findings carry (the CLI's: the `--trust` path); a Terraform file is known by its `.tf` name, anything else by its content (a trust, an `aws iam get-role` dump, a CloudFormation template). */
  file?: string;
  /** One role of a Terraform file, template or dump, by any of its names (`--role`); needed when several roles of the file concern this cluster and a target role is given. */
  role?: string;
  /** The ARN of the role whose trust it is, in another account than the cluster's: the plan reaches it by role chaining (`targetRoleArn`). */
  targetRoleArn?: string;
  /** With `targetRoleArn`: the source role's name in the cluster's account (to Pod Identity: default TARGET-pod-identity; back: the one the target admits). */
  sourceRoleName?: string;
  /** With `targetRoleArn`, back to IRSA (required there): the source role's trust text, whose Pod Identity statements name the ServiceAccounts. */
  sourceTrust?: string;
}

/** What `migrateTrust` returns: the plan, or why there is none (an unreadable trust, a blocker). */
export type MigrateTrustResult = TrustMigration | Failure;

export interface TrustMigration {
  ok: true;
  direction: MigrationDirection;
  /** The MIG findings beside the plan: warnings and notes (an error blocks it). */
  diagnostics: Diagnostic[];
  /** With `targetRoleArn`: the chain's three phases. Without: none, the files being the trusts of phases 1 and 3. */
  phases: Phase[];
  /** Every file, as the CLI writes them: `phase-1/trust.json` and `phase-3/trust.json`, or with `targetRoleArn` `PLAN.md` then each phase's. */
  files: PlanFile[];
}

/** A document given as YAML/JSON text or as an object. */
export type DocumentInput = string | Record<string, unknown>;

/**
 * Loads the WebAssembly module. Required once before the first call in
 * browsers and bundlers (it fetches `irsa_wasm_bg.wasm` next to the module,
 * or the URL, Response, bytes or WebAssembly.Module given); a no-op in Node,
 * where the module is ready on import. Safe to call more than once.
 */
export function init(input?: unknown): Promise<void>;

/** The package version (the CLI's version). */
export function version(): string;

/**
 * Validates a spec, given as an object or as YAML/JSON text, with the CLI's
 * rules. Never throws for a mistake in the spec.
 */
export function validateSpec(spec: Spec | string, options?: SpecOptions): ValidateResult;

/**
 * Every artefact of every binding, byte for byte what `irsa-gen generate`
 * writes. Never throws for a mistake in the spec.
 */
export function generate(spec: Spec | string, options?: SpecOptions): GenerateResult;
/**
 * Checks trust policies, ServiceAccounts and workloads, each alone and the set
 * together, with `irsa-gen check`'s findings. Never throws for a mistake in a file.
 */
export function check(files: SourceFile[], options?: CheckOptions): CheckResult;

/** Does the trust policy admit the ServiceAccount's token? Allow or Deny, and why. */
export function simulate(trust: DocumentInput, claims: Claims, options?: SimulateOptions): SimulateResult;

/** The workload (Pod, Deployment, ...) as the EKS webhook admits it for the ServiceAccount. */
export function inject(serviceAccount: DocumentInput, workload: DocumentInput, options?: InjectOptions): InjectResult;

/**
 * The error a user got (an SDK exception, `aws` CLI output, a pod log):
 * which message it is, its cause in the files, the fix and what to run to
 * confirm, as `irsa-gen diagnose` answers. Unknown text gives `message: null`.
 */
export function diagnose(message: string, options?: DiagnoseOptions): Diagnosis;

/**
 * Do the role's permissions policies (inline and managed), within its boundary,
 * allow the action on the resource? `irsa-gen simulate --policy`: the deciding
 * statement with its line and column, or what the nearest Allow lacks.
 */
export function simulatePolicy(policies: SourceFile[], request: PolicyRequest): PolicySimulationResult;

/**
 * A safe, phased move of the spec's roles between IRSA and EKS Pod Identity,
 * as `irsa-gen migrate --to TARGET -f SPEC WORKLOAD...` plans it: both paths
 * trusted, pods switched and verified, the old path removed, each phase with
 * its rollback. Blockers (Fargate, patterns without names, ...) are a
 * `Failure` with their MIG codes. In the full module only (`irsa-gen`, not
 * `irsa-gen/generate` or `irsa-gen/check`). Throws a TypeError without `options.to`.
 */
export function migrate(spec: Spec | string, options: MigrateOptions): MigrateResult;

/**
 * The same move from an existing trust policy's text instead of a spec, as
 * `irsa-gen migrate --to TARGET --trust FILE --issuer URL [--cluster-arn ARN]`
 * plans it: the trusts of phases 1 and 3, only this cluster's statement
 * changed (other clusters' kept). With `targetRoleArn`, a role of another
 * account reached by role chaining: the source role, the target's trust,
 * associations with `targetRoleArn`, scripts over two profiles, either way.
 * In the full module only. Throws a TypeError for options the CLI refuses.
 */
export function migrateTrust(trust: string, options: MigrateTrustOptions): MigrateTrustResult;

export default init;
