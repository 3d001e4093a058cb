//! The generate form's inputs: every field ([`Field`]) with its label, kind
//! of input, choices and default, in the groups the page shows them in, and
//! the parts of a binding ([`Part`]).

use irsa_core::addons::AddonInput;

use crate::form_rows::Group;

/// Every input of the generate form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// `accountId`
    AccountId,
    /// `region`
    Region,
    /// `cluster`
    Cluster,
    /// `bindings[0].namespace`
    Namespace,
    /// `bindings[0].serviceAccount`
    ServiceAccount,
    /// `bindings[0].roleName`
    RoleName,
    /// `bindings[0].permissionsBoundary`
    Boundary,
    /// `bindings[0].tags`, as `Key=Value, ...`
    Tags,
    /// `identityType`
    IdentityType,
    /// `clusterName`
    ClusterName,
    /// S3 bucket of the S3 template
    S3Bucket,
    /// S3 key prefix (`permissions.s3[].prefix`)
    S3Prefix,
    /// S3 access level
    S3Access,
    /// Secrets Manager secret
    Secret,
    /// DynamoDB table
    DynamoTable,
    /// DynamoDB access level
    DynamoAccess,
    /// SQS queue
    SqsQueue,
    /// SQS access level
    SqsAccess,
    /// Managed policy ARN
    ManagedPolicyArn,
    /// A well-known add-on's policy (`permissions.addons[0].name`)
    Addon,
    /// The add-on's release (`permissions.addons[0].version`)
    AddonVersion,
    /// One of the add-on's input lists (`permissions.addons[0].hostedZoneArns`)
    AddonInput(AddonInput),
    /// Raw statements as JSON (`permissions.statements`)
    Statements,
    /// `tokenExpiration`
    TokenExpiration,
    /// `stsRegionalEndpoints`
    RegionalSts,
    /// Workload (Deployment) name
    WorkloadName,
    /// Workload image
    WorkloadImage,
}

/// A choice of a select input: (value, label).
pub type Choice = (&'static str, &'static str);

/// How an input is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// Free text, with a placeholder.
    Text(&'static str),
    /// Several lines of free text (JSON), with a placeholder.
    Area(&'static str),
    /// One of fixed values; the first is the default.
    Select(&'static [Choice]),
}

const IDENTITY: &[Choice] = &[
    ("irsa", "IRSA"),
    ("pod-identity", "Pod Identity"),
    ("both", "Both (while migrating IRSA to Pod Identity)"),
];
const S3_ACCESS: &[Choice] = &[
    ("read", "read"),
    ("write", "write"),
    ("read-write", "read-write"),
];
const TABLE_ACCESS: &[Choice] = &[("read", "read"), ("read-write", "read-write")];
const QUEUE_ACCESS: &[Choice] = &[("consume", "consume"), ("send", "send")];
/// No add-on, or one of [`irsa_core::addons::ADDONS`] with its summary.
static ADDON_CHOICES: std::sync::LazyLock<Vec<Choice>> = std::sync::LazyLock::new(|| {
    std::iter::once(("", "none"))
        .chain(
            irsa_core::addons::ADDONS
                .iter()
                .map(|a| (a.name, a.summary)),
        )
        .collect()
});
const REGIONAL_STS: &[Choice] = &[
    ("", "not set"),
    ("true", "true (regional)"),
    ("false", "false (global)"),
];

/// The form's sections of the spec's own fields, in the order shown.
pub const SPEC_GROUPS: &[(&str, &[Field])] = &[
    (
        "Cluster",
        &[
            Field::AccountId,
            Field::Region,
            Field::Cluster,
            Field::IdentityType,
            Field::ClusterName,
        ],
    ),
    ("Token", &[Field::TokenExpiration, Field::RegionalSts]),
];

/// A piece of a binding's section: one field, or the rows of a kind of
/// permission (each row its item's fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// One field.
    Field(Field),
    /// Rows you add and remove.
    Rows(Group),
}

/// The sections of each binding (one role and its service account).
pub const BINDING_GROUPS: &[(&str, &[Part])] = &[
    (
        "Service account and role",
        &[
            Part::Field(Field::Namespace),
            Part::Field(Field::ServiceAccount),
            Part::Field(Field::RoleName),
            Part::Field(Field::Boundary),
            Part::Field(Field::Tags),
        ],
    ),
    (
        "Permissions",
        &[
            Part::Rows(Group::S3),
            Part::Field(Field::Secret),
            Part::Rows(Group::Tables),
            Part::Rows(Group::Queues),
            Part::Field(Field::ManagedPolicyArn),
            Part::Rows(Group::Addons),
            Part::Field(Field::Statements),
        ],
    ),
    (
        "Workload",
        &[
            Part::Field(Field::WorkloadName),
            Part::Field(Field::WorkloadImage),
        ],
    ),
];

/// The most bindings a form holds (a URL or a spec file with more is cut
/// there, and says so).
pub const MAX_BINDINGS: usize = 50;

/// The most rows of one kind a binding holds.
pub const MAX_ROWS: usize = 50;

impl Field {
    /// Every field, in the order the URL and storage write them (the form
    /// groups them by [`SPEC_GROUPS`] and [`BINDING_GROUPS`]).
    pub const ALL: [Field; 37] = [
        Field::AccountId,
        Field::Region,
        Field::Cluster,
        Field::Namespace,
        Field::ServiceAccount,
        Field::RoleName,
        Field::IdentityType,
        Field::ClusterName,
        Field::S3Bucket,
        Field::S3Access,
        Field::Secret,
        Field::DynamoTable,
        Field::DynamoAccess,
        Field::SqsQueue,
        Field::SqsAccess,
        Field::ManagedPolicyArn,
        Field::Addon,
        Field::AddonVersion,
        Field::TokenExpiration,
        Field::RegionalSts,
        Field::WorkloadName,
        Field::WorkloadImage,
        Field::Boundary,
        Field::Tags,
        Field::S3Prefix,
        Field::AddonInput(AddonInput::HostedZones),
        Field::AddonInput(AddonInput::Buckets),
        Field::AddonInput(AddonInput::KmsKeys),
        Field::AddonInput(AddonInput::FileSystems),
        Field::AddonInput(AddonInput::Secrets),
        Field::AddonInput(AddonInput::Parameters),
        Field::AddonInput(AddonInput::Queues),
        Field::AddonInput(AddonInput::Workspaces),
        Field::AddonInput(AddonInput::NodeRoles),
        Field::AddonInput(AddonInput::TargetGroups),
        Field::AddonInput(AddonInput::CertificateAuthorities),
        Field::Statements,
    ];

    /// True for the fields of a binding (each binding has its own value);
    /// false for the spec's own fields.
    pub fn in_binding(self) -> bool {
        !SPEC_GROUPS.iter().any(|(_, fields)| fields.contains(&self))
    }

    /// The kind of row this field is a column of, if any.
    pub fn group(self) -> Option<Group> {
        Group::of(self)
    }

    /// True when a diagnostic at `path` (from `Spec::validate`) belongs to
    /// this field of binding `binding` (a field that is no row's column).
    pub fn owns(self, binding: usize, path: &str) -> bool {
        if !self.in_binding() {
            return self.paths().contains(&path);
        }
        match split_binding(path) {
            Some((b, rest)) if b == binding => self
                .paths()
                .contains(&crate::form_lists::field_path(rest).as_ref()),
            _ => false,
        }
    }

    /// The spec path it edits, list indices as `[]` (core's catalogue of
    /// field names is keyed by it).
    pub fn spec_path(self) -> String {
        let own = self.paths().first().copied().unwrap_or("");
        match (self.group(), self.in_binding()) {
            (Some(g), _) => format!("bindings[].permissions.{}[].{}", g.list(), self.row_key()),
            (None, true) => format!("bindings[].{own}"),
            (None, false) => own.to_string(),
        }
    }

    /// The visible label: core's name for the spec field
    /// ([`irsa_core::fields`]), the one every message of the page uses.
    pub fn label(self) -> &'static str {
        LABELS.get(self.index()).copied().unwrap_or("")
    }

    /// The key of a row's field inside its list element (`bucket`,
    /// `access`, `hostedZoneArns`); `""` for a field that is no row's.
    pub fn row_key(self) -> &'static str {
        match self {
            Field::S3Bucket => "bucket",
            Field::S3Prefix => "prefix",
            Field::S3Access | Field::DynamoAccess | Field::SqsAccess => "access",
            Field::DynamoTable => "table",
            Field::SqsQueue => "queue",
            Field::Addon => "name",
            Field::AddonVersion => "version",
            Field::AddonInput(i) => i.field(),
            _ => "",
        }
    }

    /// The key in the URL query string (short and stable: links depend on it).
    pub fn key(self) -> &'static str {
        match self {
            Field::AccountId => "account",
            Field::Region => "region",
            Field::Cluster => "cluster",
            Field::Namespace => "ns",
            Field::ServiceAccount => "sa",
            Field::RoleName => "role",
            Field::Boundary => "boundary",
            Field::Tags => "tags",
            Field::IdentityType => "identity",
            Field::ClusterName => "clusterName",
            Field::S3Bucket => "s3",
            Field::S3Prefix => "s3Prefix",
            Field::S3Access => "s3Access",
            Field::Secret => "secret",
            Field::DynamoTable => "table",
            Field::DynamoAccess => "tableAccess",
            Field::SqsQueue => "queue",
            Field::SqsAccess => "queueAccess",
            Field::ManagedPolicyArn => "policyArn",
            Field::Addon => "addon",
            Field::AddonVersion => "addonVersion",
            Field::AddonInput(i) => i.field(),
            Field::Statements => "statements",
            Field::TokenExpiration => "ttl",
            Field::RegionalSts => "regionalSts",
            Field::WorkloadName => "workload",
            Field::WorkloadImage => "image",
        }
    }

    /// The diagnostic paths (from `Spec::validate`) shown beside this field;
    /// a binding's field's are inside `bindings[N].` (`""`: the binding
    /// itself). A row's fields are placed by their row ([`crate::form_place`]).
    pub fn paths(self) -> &'static [&'static str] {
        match self {
            Field::AccountId => &["accountId"],
            Field::Region => &["region"],
            Field::Cluster => &["cluster"],
            Field::Namespace => &["namespace"],
            Field::ServiceAccount => &["serviceAccount"],
            Field::RoleName => &["roleName", ""],
            Field::Boundary => &["permissionsBoundary"],
            Field::Tags => &["tags"],
            Field::IdentityType => &["identityType"],
            Field::ClusterName => &["clusterName"],
            Field::Secret => &["permissions.secretsManager[0].secret"],
            Field::ManagedPolicyArn => &[
                "permissions.managedPolicyArns[0]",
                "permissions.managedPolicyArns",
            ],
            Field::Statements => &["permissions.statements"],
            Field::TokenExpiration => &["tokenExpiration"],
            Field::RegionalSts => &["stsRegionalEndpoints"],
            Field::WorkloadName => &["workload.name"],
            Field::WorkloadImage => &["workload.image", "workload"],
            Field::S3Bucket
            | Field::S3Prefix
            | Field::S3Access
            | Field::DynamoTable
            | Field::DynamoAccess
            | Field::SqsQueue
            | Field::SqsAccess
            | Field::Addon
            | Field::AddonVersion
            | Field::AddonInput(_) => &[],
        }
    }

    /// How the field is edited.
    pub fn input(self) -> Input {
        match self {
            Field::AccountId => Input::Text("e.g. 123456789012"),
            Field::Region => Input::Text("e.g. us-west-2"),
            Field::Cluster => Input::Text(
                "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
            ),
            Field::Namespace => Input::Text("e.g. production"),
            Field::ServiceAccount => Input::Text("e.g. s3-writer"),
            Field::RoleName => Input::Text("derived from cluster, namespace and service account"),
            Field::Boundary => Input::Text("e.g. arn:aws:iam::111122223333:policy/Boundary"),
            Field::Tags => Input::Text("e.g. team=payments, env=prod"),
            Field::IdentityType => Input::Select(IDENTITY),
            Field::ClusterName => Input::Text("e.g. my-cluster (Pod Identity needs it)"),
            Field::S3Bucket => Input::Text("e.g. my-app-uploads"),
            Field::S3Prefix => Input::Text("e.g. uploads/ (default: the whole bucket)"),
            Field::S3Access => Input::Select(S3_ACCESS),
            Field::Secret => Input::Text("e.g. prod/db, or its ARN (several: a, b)"),
            Field::DynamoTable => Input::Text("e.g. orders"),
            Field::DynamoAccess => Input::Select(TABLE_ACCESS),
            Field::SqsQueue => Input::Text("e.g. jobs"),
            Field::SqsAccess => Input::Select(QUEUE_ACCESS),
            Field::ManagedPolicyArn => {
                Input::Text("e.g. arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess (several: a, b)")
            }
            Field::Addon => Input::Select(ADDON_CHOICES.as_slice()),
            Field::AddonVersion => Input::Text("e.g. 1.14 (default: the current policy)"),
            Field::AddonInput(i) => Input::Text(ADDON_EXAMPLES.get(input_index(i)).map_or("", String::as_str)),
            Field::Statements => Input::Area(
                "[{\"Effect\": \"Allow\", \"Action\": \"sns:Publish\", \"Resource\": \"arn:aws:sns:us-west-2:111122223333:alerts\"}]",
            ),
            Field::TokenExpiration => Input::Text("default 86400 (600 to 86400)"),
            Field::RegionalSts => Input::Select(REGIONAL_STS),
            Field::WorkloadName => Input::Text("e.g. my-app"),
            Field::WorkloadImage => Input::Text("e.g. my-app:latest"),
        }
    }

    /// The value of an untouched field.
    pub fn default_value(self) -> &'static str {
        match self.input() {
            Input::Select(choices) => choices.first().map_or("", |c| c.0),
            Input::Text(_) | Input::Area(_) => "",
        }
    }

    /// The HTML id of the input (of the first binding's, for a binding's field).
    pub fn id(self) -> String {
        self.id_in(0)
    }

    /// The HTML id of the input in binding `binding`: `f-ns`, `f-ns-2`...
    pub fn id_in(self, binding: usize) -> String {
        self.id_at(binding, 0)
    }

    /// The HTML id of the input of row `row` in binding `binding`:
    /// `f-s3`, `f-s3-r2` (second row), `f-s3-2-r2` (of the second binding).
    pub fn id_at(self, binding: usize, row: usize) -> String {
        let mut id = format!("f-{}", self.key());
        if self.in_binding() && binding > 0 {
            id.push_str(&format!("-{}", binding + 1));
        }
        if row > 0 {
            id.push_str(&format!("-r{}", row + 1));
        }
        id
    }

    /// Its position in [`Field::ALL`]: where a form keeps its value.
    pub(crate) fn index(self) -> usize {
        Field::ALL.iter().position(|f| *f == self).unwrap_or(0)
    }
}

/// Every field's label, looked up once (the form renders on every keystroke).
static LABELS: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    Field::ALL
        .iter()
        .map(|f| irsa_core::fields::label(&f.spec_path()).unwrap_or(""))
        .collect()
});

fn input_index(i: AddonInput) -> usize {
    AddonInput::ALL.iter().position(|x| *x == i).unwrap_or(0)
}

/// Each add-on input's placeholder: core's example ARN (in partition aws).
static ADDON_EXAMPLES: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
    AddonInput::ALL
        .iter()
        .map(|i| {
            format!(
                "e.g. {} (several: a, b)",
                i.example(irsa_core::aws::Partition::Aws)
            )
        })
        .collect()
});

/// `bindings[3].namespace` -> (3, `namespace`); `bindings[3]` -> (3, ``).
pub(crate) fn split_binding(path: &str) -> Option<(usize, &str)> {
    let rest = path.strip_prefix("bindings[")?;
    let (index, rest) = rest.split_once(']')?;
    let index = index.parse().ok()?;
    match rest.strip_prefix('.') {
        Some(field) => Some((index, field)),
        None if rest.is_empty() => Some((index, "")),
        None => None,
    }
}
