//! Migrate mode's plan: the form's spec moved between IRSA and EKS Pod
//! Identity by core's `migrate::plan`, as `irsa-gen migrate --to TARGET -f
//! spec.yaml WORKLOAD...` plans it, the workloads being check mode's files;
//! or, from a trust policy, as `irsa-gen migrate --to TARGET --trust
//! FILE --issuer URL [--cluster-arn ARN] [--role NAME] [--target-role-arn ARN
//! --source-role-name NAME --source-trust source-trust.json]` plans it
//! (core's `migrate::route`, the CLI's choice of plan), the file being a
//! bare trust, a Terraform file, a CloudFormation template or a role dump,
//! named by its dropped file's name or the kind the user picks
//! ([`KINDS`]), else by its content, its phase files in the same format.
//! Pure like [`crate::state`]: this module only picks the inputs and lays
//! the answer out (the zip is core's too).

use irsa_core::check::SourceFile;
use irsa_core::diagnostic::has_errors;
use irsa_core::migrate::{self, route, workloads, Direction, Phase, PlanFile};
use irsa_core::page_words::{self, Mode};
use irsa_core::Diagnostic;

use crate::share;
use crate::state::Form;

/// The folder "Download all" puts the plan's files in (`migration/PLAN.md`, ...).
pub const ZIP_FOLDER: &str = "migration";
/// The name of the "Download all" file.
pub const ZIP_FILE: &str = "irsa-gen-migration.zip";

/// The direction the pane plans when the URL names none: the one AWS recommends.
pub const DEFAULT_DIRECTION: Direction = Direction::ToPodIdentity;

/// The label of a direction's switch.
pub fn label(direction: Direction) -> &'static str {
    match direction {
        Direction::ToPodIdentity => "To Pod Identity",
        Direction::ToIrsa => "To IRSA",
    }
}

/// The name findings in the pasted trust carry (the CLI's `--trust trust.json`).
pub const TRUST_FILE: &str = "trust.json";

/// The kinds of file the tab takes, each as the name the file is given (the
/// CLI's `--trust FILE`: its findings and phase files carry it, a `.tf`
/// name is read as Terraform) and the picker's words.
pub const KINDS: [(&str, &str); 5] = [
    (TRUST_FILE, "A trust policy (trust.json)"),
    ("main.tf", "Terraform (main.tf)"),
    ("template.yaml", "CloudFormation, YAML (template.yaml)"),
    ("template.json", "CloudFormation, JSON (template.json)"),
    (
        "role.json",
        "aws iam get-role or list-roles output (role.json)",
    ),
];

/// The name a file of no name is given, by its content as core reads it
/// (`sources::read` of a nameless text: Terraform by its first block,
/// CloudFormation and dumps by their documents), JSON or YAML by its first
/// character.
pub fn name_by_content(text: &str) -> &'static str {
    use irsa_core::migrate::trust_file::Kind;
    let json = text.trim_start().starts_with(['{', '[']);
    match irsa_core::migrate::sources::read("", text).kind {
        Kind::Trust => TRUST_FILE,
        Kind::Terraform => "main.tf",
        Kind::CloudFormation if json => "template.json",
        Kind::CloudFormation => "template.yaml",
        Kind::Dump if json => "role.json",
        Kind::Dump => "role.yaml",
    }
}
/// The name of the source role's trust (`--source-trust source-trust.json`).
pub const SOURCE_TRUST_FILE: &str = "source-trust.json";
/// The URL key of the trust route's inputs (deflated JSON, like check mode's `f=`).
pub const TRUST_KEY: &str = "mt";
/// The most the `mt=` value may take in a link (as check mode's files).
const MAX_TRUST_LINK: usize = crate::check_editor::MAX_LINK_BYTES;
/// The most text an `mt=` value expands to (a deflate bomb stops here).
const MAX_TRUST_TEXT: usize = 1024 * 1024;

/// What the plan starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Source {
    /// The form's spec (`migrate -f spec.yaml`).
    #[default]
    Spec,
    /// A file pasted or dropped: a trust policy, Terraform, a
    /// CloudFormation template, a role dump (`migrate --trust FILE`).
    Trust,
}

impl Source {
    /// Both, in the switch's order.
    pub const ALL: [Source; 2] = [Source::Spec, Source::Trust];

    /// Its id in the URL (`from=trust`) and the page.
    pub fn id(self) -> &'static str {
        match self {
            Source::Spec => "spec",
            Source::Trust => "trust",
        }
    }

    /// The switch's label.
    pub fn label(self) -> &'static str {
        match self {
            Source::Spec => "From the spec",
            Source::Trust => "From a file",
        }
    }
}

/// The trust route's inputs, as typed (an empty field is a flag not given).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TrustInput {
    /// The role's file (`--trust`): a trust, Terraform, a template, a dump.
    pub trust: String,
    /// The file's name (`--trust FILE`): the dropped file's, or the kind
    /// picked; empty: by its content ([`name_by_content`]).
    pub name: String,
    /// `--role`: the one role of the file to plan (empty: every role this move concerns).
    pub role: String,
    /// `--issuer`: the OIDC issuer URL of the cluster that moves.
    pub issuer: String,
    /// `--cluster-arn`.
    pub cluster_arn: String,
    /// `--target-role-arn`: the role is another account's, reached by role chaining.
    pub target_role_arn: String,
    /// `--source-role-name`.
    pub source_role_name: String,
    /// `--source-trust`: the source role's trust (back to IRSA with a target role).
    pub source_trust: String,
}

/// One input of the trust route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrustField {
    /// The trust policy's text.
    Trust,
    /// The file's name (its kind).
    Name,
    /// The role of the file to plan.
    Role,
    /// The issuer URL.
    Issuer,
    /// The cluster's ARN.
    ClusterArn,
    /// The target role's ARN.
    TargetRoleArn,
    /// The source role's name.
    SourceRoleName,
    /// The source role's trust text.
    SourceTrust,
}

impl TrustInput {
    /// The input with `field` set to `value`.
    pub fn with(&self, field: TrustField, value: String) -> TrustInput {
        let mut next = self.clone();
        let slot = match field {
            TrustField::Trust => &mut next.trust,
            TrustField::Name => &mut next.name,
            TrustField::Role => &mut next.role,
            TrustField::Issuer => &mut next.issuer,
            TrustField::ClusterArn => &mut next.cluster_arn,
            TrustField::TargetRoleArn => &mut next.target_role_arn,
            TrustField::SourceRoleName => &mut next.source_role_name,
            TrustField::SourceTrust => &mut next.source_trust,
        };
        *slot = value;
        next
    }

    /// Whether the source role's trust is read: back to IRSA with a target role.
    pub fn reads_source_trust(&self, to: Direction) -> bool {
        to == Direction::ToIrsa && !self.target_role_arn.trim().is_empty()
    }

    /// The name the file goes by: its own (dropped or picked), else its content's.
    pub fn file_name(&self) -> &str {
        match self.name.trim() {
            "" => name_by_content(&self.trust),
            name => name,
        }
    }

    /// The `mt=` value: the eight inputs as a JSON array, deflated (`None`
    /// when nothing is typed, or past the link's limit).
    pub fn to_link(&self) -> Option<String> {
        if *self == TrustInput::default() {
            return None;
        }
        let fields = [
            &self.trust,
            &self.issuer,
            &self.cluster_arn,
            &self.target_role_arn,
            &self.source_role_name,
            &self.source_trust,
            &self.name,
            &self.role,
        ];
        let packed = share::pack(&serde_json::to_string(&fields).ok()?);
        (packed.len() <= MAX_TRUST_LINK).then_some(packed)
    }

    /// The inputs an `mt=` value holds (junk: none).
    pub fn from_link(value: &str) -> Option<TrustInput> {
        let text = share::unpack_within(value, MAX_TRUST_TEXT)?;
        let fields: Vec<String> = serde_json::from_str(&text).ok()?;
        let mut it = fields.into_iter();
        let mut next = || it.next().unwrap_or_default();
        Some(TrustInput {
            trust: next(),
            issuer: next(),
            cluster_arn: next(),
            target_role_arn: next(),
            source_role_name: next(),
            source_trust: next(),
            // Links of earlier releases have six: the two new ones blank.
            name: next(),
            role: next(),
        })
    }
}

/// What the pane shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// The form is blank.
    Empty,
    /// From a trust: what is still to fill in before the CLI would plan.
    Needs(&'static str),
    /// The spec has errors (shown in generate mode): nothing to plan from.
    Invalid(usize),
    /// An error-level MIG finding blocks the plan.
    Blocked(Vec<Diagnostic>),
    /// The plan: its findings (warnings and notes), phases and every file.
    Planned {
        /// The MIG findings beside the plan.
        diagnostics: Vec<Diagnostic>,
        /// The three phases.
        phases: Vec<Phase>,
        /// `PLAN.md`, then each phase's files, as `--output-dir` writes them.
        files: Vec<PlanFile>,
    },
    /// Core could not render a document (a bug, never a user mistake).
    Failed(String),
}

/// The migration pane's answer: the outcome, and which of check mode's files
/// were read as workloads.
#[derive(Debug, Clone, PartialEq)]
pub struct Migration {
    /// The plan, or why there is none.
    pub outcome: Outcome,
    /// Workloads and ServiceAccounts found in check mode's files.
    pub workloads: usize,
    /// Check mode's files that are not YAML or JSON (left out), with why.
    pub unread: Vec<String>,
    /// From a file: its roles, by the names the file gives them, when it
    /// has several (the role picker's choices).
    pub roles: Vec<String>,
    /// From a file: the name it goes by ([`TrustInput::file_name`], read once).
    pub file_name: String,
}

/// The plan for the form's spec towards `target`, with check mode's files as
/// the workloads beside it.
pub fn plan(form: &Form, target: Direction, files: &[SourceFile]) -> Migration {
    let mut found = Vec::new();
    let mut unread = Vec::new();
    for f in files {
        match workloads::read(&f.name, &f.text) {
            Ok(w) => found.extend(w),
            Err(e) => unread.push(e),
        }
    }
    let outcome = outcome(form, target, &found);
    Migration {
        outcome,
        workloads: found.len(),
        unread,
        roles: Vec::new(),
        file_name: String::new(),
    }
}

fn outcome(form: &Form, target: Direction, found: &[workloads::Workload]) -> Outcome {
    if form.is_blank() {
        return Outcome::Empty;
    }
    let validated = form.to_spec().validate();
    let Some(spec) = validated.spec else {
        let errors = validated
            .diagnostics
            .iter()
            .filter(|d| d.severity == irsa_core::Severity::Error)
            .count();
        return Outcome::Invalid(errors);
    };
    match migrate::plan(&spec, target, found) {
        Err(e) => Outcome::Failed(e.to_string()),
        Ok(plan) if plan.phases.is_empty() || has_errors(&plan.diagnostics) => {
            Outcome::Blocked(in_spec_words(&plan.diagnostics))
        }
        Ok(plan) => Outcome::Planned {
            files: plan.files(),
            diagnostics: in_spec_words(&plan.diagnostics),
            phases: plan.phases,
        },
    }
}

/// The plan from a trust policy, towards `to`: the call `irsa-gen migrate
/// --trust` makes for the same flags (the chain with a target role, either
/// way), its findings in `trust.json`. What the CLI would refuse as usage is
/// [`Outcome::Needs`].
pub fn plan_trust(to: Direction, input: &TrustInput) -> Migration {
    let name = input.file_name();
    Migration {
        outcome: trust_outcome(to, input, name),
        workloads: 0,
        unread: Vec::new(),
        roles: roles(name, &input.trust),
        file_name: name.to_string(),
    }
}

/// The roles of a file that has several (a bare trust is one).
fn roles(name: &str, text: &str) -> Vec<String> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    let source = irsa_core::migrate::sources::read(name, text);
    match source.found.as_slice() {
        [] | [_] => Vec::new(),
        several => several.iter().map(|f| f.role.clone()).collect(),
    }
}

/// A field as a flag: not given when blank.
fn given(s: &str) -> Option<&str> {
    Some(s.trim()).filter(|s| !s.is_empty())
}

fn trust_outcome(to: Direction, input: &TrustInput, name: &str) -> Outcome {
    let target = given(&input.target_role_arn);
    let Some(issuer) = given(&input.issuer).filter(|_| !input.trust.trim().is_empty()) else {
        return Outcome::Needs(if input.trust.trim().is_empty() {
            "Paste or drop the role's file: its trust policy, the Terraform file or CloudFormation template that makes it, or aws iam get-role output."
        } else {
            "Type the OIDC issuer URL of the cluster that moves."
        });
    };
    // The source role's fields show only with a target role (and its trust
    // only going back): hidden ones are not given.
    let source_trust = Some(input.source_trust.as_str())
        .filter(|t| target.is_some() && to == Direction::ToIrsa && !t.trim().is_empty())
        .map(|text| route::Input {
            name: SOURCE_TRUST_FILE,
            text,
        });
    let req = route::TrustRequest {
        direction: to,
        issuer,
        cluster_arn: given(&input.cluster_arn),
        role: given(&input.role),
        target_role_arn: target,
        source_role_name: given(&input.source_role_name).filter(|_| target.is_some()),
        source_trust,
    };
    let trust = route::Input {
        name,
        text: &input.trust,
    };
    let routed = match route::plan(trust, &req) {
        Ok(r) => r,
        Err(r) => return Outcome::Needs(needs(r)),
    };
    let (diagnostics, phases, files) = (routed.diagnostics, routed.phases, routed.files);
    let diagnostics: Vec<Diagnostic> = diagnostics
        .into_iter()
        .map(|d| page_words::in_page_words(&d, Mode::Migrate))
        .collect();
    if files.is_empty() {
        Outcome::Blocked(diagnostics)
    } else {
        Outcome::Planned {
            diagnostics,
            phases,
            files,
        }
    }
}

/// What core refuses, in the tab's words (its fields).
fn needs(r: route::Refused) -> &'static str {
    match r {
        route::Refused::TargetNeedsClusterArn => "A role of another account needs the cluster's ARN: the source role is in the cluster's account.",
        route::Refused::BackNeedsClusterArn => "Going back to IRSA needs the cluster's ARN: it says which Pod Identity statements are this cluster's.",
        route::Refused::BackNeedsSourceTrust => "Going back with a role of another account needs the source role's trust: its Pod Identity statements name the ServiceAccounts.",
        // The tab does not give the source role's fields without a target
        // role, nor its trust going forward.
        route::Refused::SourceNeedsTarget | route::Refused::SourceTrustGoingForward => "Type the target role's ARN, or clear the source role's fields.",
    }
}

/// The plan's findings about the spec in the tab's words: the spec's keys
/// as the form's labels, the CLI's flags as the tab's controls.
fn in_spec_words(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| irsa_core::fields::in_mode_words(d, Mode::Migrate))
        .collect()
}

/// "Download all": every file of the plan under `migration/`, a zip built by core.
pub fn archive(files: &[PlanFile]) -> Option<Vec<u8>> {
    let entries: Vec<(String, String)> = files
        .iter()
        .map(|f| (format!("{ZIP_FOLDER}/{}", f.path), f.text.clone()))
        .collect();
    irsa_core::zip::stored(&entries).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{Action, Field, State};
    use irsa_core::migrate::chain::{self, ChainRequest};
    use irsa_core::migrate::{chain_back, from_trust};

    /// The guide's example with the cluster named: a plan to Pod Identity.
    fn form(cluster_name: &str) -> Form {
        let s = State::from_query("account=123456789012&region=ap-south-1&cluster=EXAMPLED539D4633E53DE1B716D3041E&ns=production&sa=s3-writer&role=S3WriterRole&s3=my-app-uploads&s3Access=write&workload=my-app&image=my-app%3Alatest");
        s.reduce(Action::Set(Field::ClusterName, cluster_name.into()))
            .form
    }

    fn deployment(os: &str) -> SourceFile {
        SourceFile {
            name: "deploy.yaml".into(),
            text: format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n  namespace: production\nspec:\n  template:\n    spec:\n      serviceAccountName: s3-writer\n      nodeSelector:\n        kubernetes.io/os: {os}\n"),
        }
    }

    #[test]
    fn the_plan_is_cores_for_the_forms_spec() {
        let m = plan(&form("prod"), Direction::ToPodIdentity, &[]);
        let Outcome::Planned { phases, files, .. } = &m.outcome else {
            panic!("{:?}", m.outcome);
        };
        let spec = form("prod").to_spec().validate().spec.unwrap();
        let core = migrate::plan(&spec, Direction::ToPodIdentity, &[]).unwrap();
        assert_eq!(phases, &core.phases);
        assert_eq!(files, &core.files());
        assert_eq!(
            phases.iter().map(|p| p.number).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }

    #[test]
    fn blockers_come_with_their_codes() {
        let codes = |m: Migration| match m.outcome {
            Outcome::Blocked(d) => d
                .iter()
                .filter(|d| d.severity == irsa_core::Severity::Error)
                .map(|d| d.code.clone())
                .collect::<Vec<_>>(),
            other => panic!("{other:?}"),
        };
        // No cluster name: MIG001.
        assert_eq!(
            codes(plan(&form(""), Direction::ToPodIdentity, &[])),
            ["MIG001"]
        );
        // Already on IRSA: MIG002.
        assert_eq!(
            codes(plan(&form("prod"), Direction::ToIrsa, &[])),
            ["MIG002"]
        );
        // A Windows workload among check mode's files (the Linux one is the near miss).
        let m = plan(
            &form("prod"),
            Direction::ToPodIdentity,
            &[deployment("windows")],
        );
        assert_eq!(m.workloads, 1);
        assert_eq!(codes(m), ["MIG010"]);
        let linux = plan(
            &form("prod"),
            Direction::ToPodIdentity,
            &[deployment("linux")],
        );
        assert!(matches!(linux.outcome, Outcome::Planned { .. }));
    }

    #[test]
    fn blank_and_invalid_forms_plan_nothing() {
        assert_eq!(
            plan(&Form::default(), Direction::ToPodIdentity, &[]).outcome,
            Outcome::Empty
        );
        let bad = State::from_query("account=12345&region=mars-1").form;
        assert!(matches!(
            plan(&bad, Direction::ToPodIdentity, &[]).outcome,
            Outcome::Invalid(n) if n > 0
        ));
    }

    #[test]
    fn unreadable_files_are_left_out_and_said() {
        let broken = SourceFile {
            name: "main.tf".into(),
            text: "a: [".into(),
        };
        let m = plan(&form("prod"), Direction::ToPodIdentity, &[broken]);
        assert_eq!(m.unread.len(), 1);
        assert!(m.unread[0].starts_with("main.tf"), "{:?}", m.unread);
        assert!(matches!(m.outcome, Outcome::Planned { .. }));
    }

    #[test]
    fn download_all_puts_every_file_under_migration() {
        let Outcome::Planned { files, .. } =
            plan(&form("prod"), Direction::ToPodIdentity, &[]).outcome
        else {
            panic!();
        };
        let zip = archive(&files).unwrap();
        assert_eq!(zip, archive(&files).unwrap(), "the same bytes every time");
        assert_eq!(zip.get(..4), Some(&b"PK\x03\x04"[..]));
        for f in &files {
            let name = format!("migration/{}", f.path);
            assert!(
                zip.windows(name.len()).any(|w| w == name.as_bytes()),
                "{name}"
            );
        }
    }

    const ISSUER: &str =
        "https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B";
    const CLUSTER: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
    const TARGET: &str = "arn:aws:iam::444455556666:role/s3-writer";
    const SINGLE: &str = include_str!("../../tests/fixtures/migrate/from-trust/single/trust.json");
    const CHAINED: &str =
        include_str!("../../tests/fixtures/migrate/cross-account/chained/trust.json");
    const BACK: &str =
        include_str!("../../tests/fixtures/migrate/cross-account-back/chained/trust.json");
    const BACK_SOURCE: &str =
        include_str!("../../tests/fixtures/migrate/cross-account-back/chained/source-trust.json");

    fn trust(text: &str, target: &str) -> TrustInput {
        TrustInput {
            trust: text.into(),
            issuer: ISSUER.into(),
            cluster_arn: CLUSTER.into(),
            target_role_arn: target.into(),
            ..TrustInput::default()
        }
    }

    #[test]
    fn a_trust_plans_as_the_cli_does() {
        let Outcome::Planned { files, phases, .. } =
            plan_trust(Direction::ToPodIdentity, &trust(SINGLE, "")).outcome
        else {
            panic!("a plan");
        };
        let core = from_trust::plan_trust(SINGLE, ISSUER, Some(CLUSTER));
        assert_eq!((files, phases.len()), (core.files(), 0));
        // A role of another account: blocked without its ARN (MIG033, in trust.json), chained with it.
        let Outcome::Blocked(d) = plan_trust(Direction::ToPodIdentity, &trust(CHAINED, "")).outcome
        else {
            panic!("blocked");
        };
        assert!(d
            .iter()
            .any(|d| d.code == "MIG033" && d.file.as_deref() == Some(TRUST_FILE)));
        let Outcome::Planned { files, phases, .. } =
            plan_trust(Direction::ToPodIdentity, &trust(CHAINED, TARGET)).outcome
        else {
            panic!("a chain");
        };
        let req = ChainRequest {
            issuer: ISSUER,
            cluster_arn: CLUSTER,
            target_role_arn: TARGET,
            source_role_name: None,
        };
        let core = chain::plan_chained(CHAINED, &req);
        assert_eq!((&files, &phases), (&core.files(), &core.phases));
        // Back: the source role's trust is read.
        let back = TrustInput {
            source_trust: BACK_SOURCE.into(),
            ..trust(BACK, TARGET)
        };
        assert!(back.reads_source_trust(Direction::ToIrsa));
        let Outcome::Planned { files, .. } = plan_trust(Direction::ToIrsa, &back).outcome else {
            panic!("back");
        };
        assert_eq!(
            files,
            chain_back::plan_chained_back(BACK, BACK_SOURCE, &req).files()
        );
    }

    #[test]
    fn what_the_cli_refuses_is_said_before_any_plan() {
        let needs =
            |to, input: &TrustInput| matches!(plan_trust(to, input).outcome, Outcome::Needs(_));
        assert!(needs(Direction::ToPodIdentity, &TrustInput::default()));
        let no_issuer = TrustInput {
            issuer: " ".into(),
            ..trust(SINGLE, "")
        };
        assert!(needs(Direction::ToPodIdentity, &no_issuer));
        let no_cluster = TrustInput {
            cluster_arn: String::new(),
            ..trust(SINGLE, "")
        };
        assert!(!needs(Direction::ToPodIdentity, &no_cluster));
        assert!(needs(Direction::ToIrsa, &no_cluster));
        let chain_no_cluster = TrustInput {
            cluster_arn: String::new(),
            ..trust(CHAINED, TARGET)
        };
        assert!(needs(Direction::ToPodIdentity, &chain_no_cluster));
        assert!(needs(Direction::ToIrsa, &trust(BACK, TARGET)));
    }

    #[test]
    fn the_source_and_the_trust_inputs_ride_in_the_url() {
        let s = State::default()
            .reduce(Action::SetMode(crate::state::Mode::Migrate))
            .reduce(Action::MigrateSource(Source::Trust))
            .reduce(Action::MigrateTrust(TrustField::Trust, SINGLE.into()))
            .reduce(Action::MigrateTrust(TrustField::Issuer, ISSUER.into()))
            .reduce(Action::MigrateTrust(
                TrustField::TargetRoleArn,
                TARGET.into(),
            ));
        let query = s.to_query();
        assert!(query.starts_with("mode=migrate&from=trust&mt="), "{query}");
        let back = State::from_query(&query);
        assert_eq!(
            (back.migrate_source, &back.migrate_trust),
            (Source::Trust, &s.migrate_trust)
        );
        assert_eq!(
            State::from_query("from=junk&mt=junk!").migrate_source,
            Source::Spec
        );
        assert_eq!(
            State::from_query("mt=junk!").migrate_trust,
            TrustInput::default()
        );
        assert_eq!(
            State::default().to_query(),
            "",
            "nothing typed: nothing in the URL"
        );
    }

    const FROM_FILE: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../tests/fixtures/migrate-from-file"
    );

    fn fixture(case: &str, file: &str) -> String {
        std::fs::read_to_string(format!("{FROM_FILE}/{case}/{file}")).unwrap()
    }

    fn file_input(text: String, name: &str, role: &str) -> TrustInput {
        TrustInput {
            name: name.into(),
            role: role.into(),
            ..trust(&text, "")
        }
    }

    #[test]
    fn a_file_plans_as_migrate_trust_file_does_in_its_own_format() {
        use irsa_core::migrate::from_file::{plan_file, Request};
        let cases = [
            ("from-terraform", "main.tf", Direction::ToPodIdentity),
            (
                "from-cloudformation-yaml",
                "template.yaml",
                Direction::ToPodIdentity,
            ),
            (
                "from-cloudformation-json",
                "template.json",
                Direction::ToPodIdentity,
            ),
            ("from-get-role", "role.json", Direction::ToPodIdentity),
            ("from-list-roles", "roles.json", Direction::ToPodIdentity),
            ("from-terraform-back", "main.tf", Direction::ToIrsa),
        ];
        for (case, file, to) in cases {
            let text = fixture(case, file);
            let Outcome::Planned { files, .. } =
                plan_trust(to, &file_input(text.clone(), file, "")).outcome
            else {
                panic!("{case}: a plan");
            };
            let req = Request {
                direction: to,
                issuer: ISSUER,
                cluster_arn: Some(CLUSTER),
                role: None,
            };
            assert_eq!(files, plan_file(file, &text, &req).files, "{case}");
            // A name is its kind: the same text named by its content plans the same
            // (a file's own name, `roles.json`, is the dropped file's).
            if migrate_name_is_a_kind(file) {
                let by_content = plan_trust(to, &file_input(text, "", "")).outcome;
                assert!(
                    matches!(&by_content, Outcome::Planned { files: f, .. } if *f == files),
                    "{case}"
                );
            }
        }
    }

    fn migrate_name_is_a_kind(name: &str) -> bool {
        KINDS.iter().any(|(n, _)| *n == name)
    }

    #[test]
    fn a_file_is_named_by_its_content_when_no_name_is_given() {
        assert_eq!(name_by_content(SINGLE), TRUST_FILE);
        assert_eq!(name_by_content(""), TRUST_FILE);
        assert_eq!(
            name_by_content(&fixture("from-terraform", "main.tf")),
            "main.tf"
        );
        assert_eq!(
            name_by_content(&fixture("from-cloudformation-yaml", "template.yaml")),
            "template.yaml"
        );
        assert_eq!(
            name_by_content(&fixture("from-cloudformation-json", "template.json")),
            "template.json"
        );
        assert_eq!(
            name_by_content(&fixture("from-get-role", "role.json")),
            "role.json"
        );
        // A name given wins over the content.
        let named = file_input(fixture("from-terraform", "main.tf"), "iam.tf", "");
        assert_eq!(named.file_name(), "iam.tf");
        // The plan says the name it read the file by (the editor's title).
        let unnamed = file_input(fixture("from-terraform", "main.tf"), "", "");
        assert_eq!(
            plan_trust(Direction::ToPodIdentity, &unnamed).file_name,
            "main.tf"
        );
    }

    #[test]
    fn a_file_of_several_roles_offers_them_and_plans_the_one_picked() {
        let text = fixture("two-roles", "main.tf");
        let every = plan_trust(
            Direction::ToPodIdentity,
            &file_input(text.clone(), "main.tf", ""),
        );
        assert_eq!(every.roles, ["aws_iam_role.app", "aws_iam_role.payments"]);
        let Outcome::Planned { files: both, .. } = every.outcome else {
            panic!("every role");
        };
        let one = plan_trust(
            Direction::ToPodIdentity,
            &file_input(text.clone(), "main.tf", "aws_iam_role.payments"),
        );
        let Outcome::Planned { files, .. } = one.outcome else {
            panic!("one role");
        };
        assert_ne!(files, both);
        // A name two roles share: MIG061, in the page's words (the picker, not --role).
        let ambiguous = fixture("two-roles-ambiguous", "main.tf");
        let Outcome::Blocked(d) = plan_trust(
            Direction::ToPodIdentity,
            &file_input(ambiguous, "main.tf", "payments"),
        )
        .outcome
        else {
            panic!("ambiguous");
        };
        let mig061 = d.iter().find(|d| d.code == "MIG061").unwrap();
        assert!(!mig061.help.contains("--role"), "{}", mig061.help);
        assert!(mig061.help.contains("Role of the file"), "{}", mig061.help);
        // A bare trust has one role: no picker.
        assert!(plan_trust(Direction::ToPodIdentity, &trust(SINGLE, ""))
            .roles
            .is_empty());
    }

    #[test]
    fn the_files_name_and_role_ride_in_the_url_and_old_links_still_open() {
        let input = file_input(
            fixture("two-roles", "main.tf"),
            "iam.tf",
            "aws_iam_role.app",
        );
        let back = TrustInput::from_link(&input.to_link().unwrap()).unwrap();
        assert_eq!(back, input);
        // A dropped file: its name and text in one step, the rest kept.
        let s = State::default()
            .reduce(Action::MigrateTrust(TrustField::Issuer, ISSUER.into()))
            .reduce(Action::MigrateFile("iam.tf".into(), input.trust.clone()));
        let t = &s.migrate_trust;
        assert_eq!(
            (t.name.as_str(), t.trust.as_str(), t.issuer.as_str()),
            ("iam.tf", input.trust.as_str(), ISSUER)
        );
        // A link of six fields (before the file's name and role).
        let six = share::pack(&serde_json::to_string(&[SINGLE, ISSUER, "", "", "", ""]).unwrap());
        let old = TrustInput::from_link(&six).unwrap();
        assert_eq!(
            (old.trust.as_str(), old.name.as_str(), old.role.as_str()),
            (SINGLE, "", "")
        );
    }

    #[test]
    fn every_direction_has_its_own_label() {
        assert_ne!(label(Direction::ToPodIdentity), label(Direction::ToIrsa));
    }
}
