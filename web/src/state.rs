//! The playground's state: a pure reducer over irsa-core.
//!
//! The form ([`Form`], its fields in [`crate::form_fields`]) is turned into a
//! spec and run through core by [`derive()`] (in [`crate::derived`]); this file
//! holds the state of every mode and the actions that change it. Nothing here
//! knows about the browser, so every transition is tested natively.

use irsa_core::{ArtefactKind, Diagnostic};

use crate::check::{CheckAction, CheckState};
pub use crate::derived::{alternatives, derive, Derived, Lang, Output, Panel};
use crate::diagnose::{DiagnoseAction, DiagnoseState};
pub use crate::form::Form;
pub use crate::form_fields::{
    Choice, Field, Input, Part, BINDING_GROUPS, MAX_BINDINGS, MAX_ROWS, SPEC_GROUPS,
};
pub use crate::form_place::Place;
pub use crate::form_rows::Group;
pub use crate::needs::Missing;
use crate::{share, spec_form};

/// Which half of the playground is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// Spec form -> artefacts.
    #[default]
    Generate,
    /// Existing files -> diagnostics.
    Check,
    /// An error message (and check mode's files) -> its cause and fix.
    Diagnose,
    /// The form's spec -> a phased plan between IRSA and Pod Identity.
    Migrate,
}

/// The whole playground state.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Generate or check.
    pub mode: Mode,
    /// The generate form.
    pub form: Form,
    /// Wrap long lines in the code panes (on by default: the trust policy's
    /// `sub` and `aud` lines are the ones that matter, and the longest).
    pub wrap: bool,
    /// Wrap long lines in check mode's and migrate mode's file editors (on
    /// by default: a minified trust policy is one line; `ewrap=off` in the URL).
    pub editor_wrap: bool,
    /// Show manifests as JSON instead of YAML.
    pub manifests_as_json: bool,
    /// The one alternative format shown beside the five core artefacts
    /// (scripts, eksctl, Terraform, CloudFormation, Helm values, SpicepodSet).
    pub alternative: Option<ArtefactKind>,
    /// What opening a spec file said (findings, fields the form has no place for).
    pub opened: Option<Opened>,
    /// What core made of the form.
    pub derived: Derived,
    /// Check mode (its files are not written to the URL).
    pub check: CheckState,
    /// Diagnose mode (its message and token are not written to the URL either).
    pub diagnose: DiagnoseState,
    /// Migrate mode's direction (the plan itself is computed from the form).
    pub migrate_to: irsa_core::migrate::Direction,
    /// What migrate mode plans from: the form's spec or a trust policy.
    pub migrate_source: crate::migrate::Source,
    /// Migrate mode's trust route inputs (`from=trust`; `mt=` in the URL).
    pub migrate_trust: crate::migrate::TrustInput,
}

impl Default for State {
    fn default() -> Self {
        State::from_form(Form::default())
    }
}

/// Everything that changes the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A spec field, or a field of the first binding, was edited.
    Set(Field, String),
    /// A field of binding N was edited.
    SetIn(usize, Field, String),
    /// A field of row R of binding N was edited.
    SetAt(usize, Field, usize, String),
    /// A blank row of a kind added to binding N.
    AddRow(usize, Group),
    /// Row R of a kind removed from binding N.
    RemoveRow(usize, Group, usize),
    /// A blank binding added at the end.
    AddBinding,
    /// Binding N copied, the copy right after it.
    DuplicateBinding(usize),
    /// Binding N removed.
    RemoveBinding(usize),
    /// A spec file's text (pasted or opened) replaces the form.
    OpenSpec(String),
    /// Switch between generate and check.
    SetMode(Mode),
    /// Show manifests as JSON (true) or YAML (false).
    ManifestsAsJson(bool),
    /// Wrap long lines in the code panes (true) or scroll (false).
    Wrap(bool),
    /// Wrap long lines in the file editors (true) or scroll (false).
    EditorWrap(bool),
    /// The alternative format to show (none: only the core artefacts).
    Alternative(Option<ArtefactKind>),
    /// Replace everything by a state decoded from a URL query.
    Restore(String),
    /// Clear the form.
    Reset,
    /// Something in check mode.
    Check(CheckAction),
    /// Something in diagnose mode.
    Diagnose(DiagnoseAction),
    /// Migrate mode's direction.
    MigrateTo(irsa_core::migrate::Direction),
    /// What migrate mode plans from.
    MigrateSource(crate::migrate::Source),
    /// An input of migrate mode's trust route.
    MigrateTrust(crate::migrate::TrustField, String),
    /// A file dropped or chosen in migrate mode: its name and text at once.
    MigrateFile(String, String),
}

impl State {
    fn from_form(form: Form) -> State {
        State {
            mode: Mode::Generate,
            derived: derive(&form, None),
            form,
            wrap: true,
            editor_wrap: true,
            manifests_as_json: false,
            alternative: None,
            opened: None,
            check: CheckState::default(),
            diagnose: DiagnoseState::default(),
            migrate_to: crate::migrate::DEFAULT_DIRECTION,
            migrate_source: crate::migrate::Source::Spec,
            migrate_trust: crate::migrate::TrustInput::default(),
        }
    }

    /// The state with `form` in place of the form, the last artefacts kept
    /// as stale while it is invalid.
    fn with_form(&self, form: Form) -> State {
        if form == self.form {
            return self.clone();
        }
        State {
            derived: self.derived.next(&form, self.alternative),
            form,
            ..self.clone()
        }
    }

    fn edit(&self, change: impl FnOnce(&mut Form)) -> State {
        let mut form = self.form.clone();
        change(&mut form);
        self.with_form(form)
    }

    /// The next state: pure, so the browser shell only renders it.
    pub fn reduce(&self, action: Action) -> State {
        match action {
            Action::Set(field, value) => self.edit(|f| f.set(field, &value)),
            Action::SetIn(b, field, value) => self.edit(|f| f.set_in(b, field, &value)),
            Action::SetAt(b, field, r, value) => self.edit(|f| f.set_at(b, field, r, &value)),
            Action::AddRow(b, group) => self.edit(|f| f.add_row(b, group)),
            Action::RemoveRow(b, group, r) => self.edit(|f| f.remove_row(b, group, r)),
            Action::AddBinding => self.edit(Form::add_binding),
            Action::DuplicateBinding(b) => self.edit(|f| f.duplicate_binding(b)),
            Action::RemoveBinding(b) => self.edit(|f| f.remove_binding(b)),
            Action::OpenSpec(text) => self.open_spec(&text),
            Action::SetMode(mode) => State {
                mode,
                ..self.clone()
            },
            Action::ManifestsAsJson(on) => State {
                manifests_as_json: on,
                ..self.clone()
            },
            Action::Wrap(on) => State {
                wrap: on,
                ..self.clone()
            },
            Action::EditorWrap(editor_wrap) => State {
                editor_wrap,
                ..self.clone()
            },
            Action::Alternative(kind) => {
                let alternative = kind.filter(|k| !k.in_stream());
                State {
                    alternative,
                    derived: self.derived.next(&self.form, alternative),
                    ..self.clone()
                }
            }
            Action::Restore(query) => State {
                check: self.check.clone(),
                diagnose: self.diagnose.clone(),
                ..State::from_query(&query)
            },
            Action::Reset => State {
                mode: self.mode,
                check: self.check.clone(),
                diagnose: self.diagnose.clone(),
                ..State::default()
            },
            Action::Check(action) => {
                let check = self.check.reduce(action);
                // The same files are diagnose's evidence: answer again when they change.
                let diagnose = if check.files == self.check.files {
                    self.diagnose.clone()
                } else {
                    self.diagnose.clone().answered(&check.files)
                };
                State {
                    check,
                    diagnose,
                    ..self.clone()
                }
            }
            Action::Diagnose(action) => State {
                diagnose: self.diagnose.reduce(action, &self.check.files),
                ..self.clone()
            },
            Action::MigrateTo(migrate_to) => State {
                migrate_to,
                ..self.clone()
            },
            Action::MigrateSource(migrate_source) => State {
                migrate_source,
                ..self.clone()
            },
            Action::MigrateTrust(field, value) => State {
                migrate_trust: self.migrate_trust.with(field, value),
                ..self.clone()
            },
            Action::MigrateFile(name, text) => {
                use crate::migrate::TrustField;
                State {
                    migrate_trust: self
                        .migrate_trust
                        .with(TrustField::Name, name)
                        .with(TrustField::Trust, text),
                    ..self.clone()
                }
            }
        }
    }

    /// A spec file's text read into the form (core's reader: what the CLI
    /// reads); unreadable text leaves the form as it is and says why.
    fn open_spec(&self, text: &str) -> State {
        match irsa_core::validate::read_spec(text) {
            Err(problems) => State {
                opened: Some(Opened {
                    problems: problems.iter().map(irsa_core::fields::in_words).collect(),
                    left_out: Vec::new(),
                }),
                ..self.clone()
            },
            Ok((spec, problems)) => {
                let (form, left_out) = spec_form::form_of(&spec);
                let problems = problems.iter().map(irsa_core::fields::in_words).collect();
                State {
                    opened: Some(Opened { problems, left_out }),
                    ..self.with_form(form)
                }
            }
        }
    }

    /// The spec file of the form, as the CLI reads it (`irsa-gen generate -f spec.yaml`).
    pub fn spec_yaml(&self) -> String {
        irsa_core::spec_yaml::to_yaml(&self.form.to_spec())
    }

    /// The state as a URL query (without `?`): the toggles that differ from
    /// their defaults, then the form's fields ([`share::form_pairs`]), as
    /// they are or, when that is shorter, compressed as `s=` ([`share::pack`]).
    pub fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        match self.mode {
            Mode::Generate => {}
            Mode::Check => pairs.push(("mode", "check".into())),
            Mode::Diagnose => pairs.push(("mode", "diagnose".into())),
            Mode::Migrate => pairs.push(("mode", "migrate".into())),
        }
        if self.migrate_to != crate::migrate::DEFAULT_DIRECTION {
            pairs.push(("to", self.migrate_to.target().into()));
        }
        if self.migrate_source != crate::migrate::Source::Spec {
            pairs.push(("from", self.migrate_source.id().into()));
        }
        if let Some(packed) = self.migrate_trust.to_link() {
            pairs.push((crate::migrate::TRUST_KEY, packed));
        }
        if self.manifests_as_json {
            pairs.push(("out", "json".into()));
        }
        if !self.wrap {
            pairs.push(("wrap", "off".into()));
        }
        if !self.editor_wrap {
            pairs.push(("ewrap", "off".into()));
        }
        if let Some(kind) = self.alternative {
            pairs.push(("alt", kind.id().into()));
        }
        let mut query: Vec<String> = pairs
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        // A small form is shorter as it is (and readable): deflate pays
        // from a few hundred characters on.
        let form = share::form_pairs(&self.form);
        let packed = share::pack(&form);
        if packed.len() + 2 < form.len() {
            query.push(format!("s={packed}"));
        } else if !form.is_empty() {
            query.push(form);
        }
        query.join("&")
    }

    /// The state a URL query describes (with or without the leading `?`):
    /// `s=` as [`State::to_query`] writes it, or the fields one key each (the
    /// links of earlier releases); unknown keys and impossible values are ignored.
    pub fn from_query(query: &str) -> State {
        let mut form = Form::default();
        let mut mode = Mode::Generate;
        let mut json = false;
        let mut wrap = true;
        let mut editor_wrap = true;
        let mut alternative = None;
        let mut migrate_to = crate::migrate::DEFAULT_DIRECTION;
        let mut migrate_source = crate::migrate::Source::Spec;
        let mut migrate_trust = crate::migrate::TrustInput::default();
        for pair in query.trim_start_matches('?').split('&') {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            let (k, v) = (decode(k), decode(v));
            match k.as_str() {
                "mode" => {
                    mode = match v.as_str() {
                        "check" => Mode::Check,
                        "diagnose" => Mode::Diagnose,
                        "migrate" => Mode::Migrate,
                        _ => Mode::Generate,
                    }
                }
                "out" => json = v == "json",
                "to" => {
                    migrate_to = irsa_core::migrate::Direction::parse(&v)
                        .unwrap_or(crate::migrate::DEFAULT_DIRECTION)
                }
                "from" => {
                    migrate_source = crate::migrate::Source::ALL
                        .into_iter()
                        .find(|s| s.id() == v)
                        .unwrap_or_default()
                }
                crate::migrate::TRUST_KEY => {
                    migrate_trust = crate::migrate::TrustInput::from_link(&v).unwrap_or_default()
                }
                "wrap" => wrap = v != "off",
                "ewrap" => editor_wrap = v != "off",
                "alt" => alternative = ArtefactKind::parse(&v).filter(|k| !k.in_stream()),
                "s" => {
                    if let Some(text) = share::unpack(&v) {
                        share::read_pairs(&mut form, &text);
                    }
                }
                _ => share::read_pair(&mut form, &k, &v),
            }
        }
        State {
            mode,
            manifests_as_json: json,
            wrap,
            editor_wrap,
            alternative,
            migrate_to,
            migrate_source,
            migrate_trust,
            derived: derive(&form, alternative),
            form,
            ..State::default()
        }
    }
}

/// What opening a spec file said.
#[derive(Debug, Clone, PartialEq)]
pub struct Opened {
    /// The reader's findings (syntax, unknown fields, keys written twice).
    pub problems: Vec<Diagnostic>,
    /// The spec's values the form has no field for, by path: not in the form,
    /// so not in the spec it downloads.
    pub left_out: Vec<String>,
}

/// Every file `irsa-gen generate -f spec.yaml --output-dir` writes for the
/// form, as a zip built by core: the "Download all" file. `None` while the
/// form has errors.
pub fn archive(form: &Form) -> Option<Vec<u8>> {
    let validated = form.to_spec().validate();
    let bundle = irsa_core::generate(validated.spec.as_ref()?).ok()?;
    let several = bundle.bindings.len() > 1;
    let files: Vec<(String, String)> = bundle
        .bindings
        .iter()
        .flat_map(|b| {
            b.artefacts.iter().map(move |a| {
                let path = if several {
                    format!("{}/{}", b.dir, a.file)
                } else {
                    a.file.to_string()
                };
                (path, a.text.clone())
            })
        })
        .collect();
    irsa_core::zip::stored(&files).ok()
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` escapes and `+` (as a space); malformed escapes are kept as written.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok())
                    .and_then(|h| u8::from_str_radix(h, 16).ok());
                match hex {
                    Some(v) => {
                        out.push(v);
                        i += 3;
                    }
                    None => {
                        out.push(b'%');
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::form_place;
    use irsa_core::addons::AddonInput;
    use irsa_core::spec::{QueueAccess, S3Access, TableAccess};
    use irsa_core::{Format, Severity};

    /// A field missing from the form could never be typed; one shown twice
    /// would be two inputs for one value.
    #[test]
    fn the_form_shows_every_field_exactly_once() {
        let parts = BINDING_GROUPS.iter().flat_map(|(_, parts)| parts.iter());
        let mut shown: Vec<Field> = SPEC_GROUPS
            .iter()
            .flat_map(|(_, fields)| fields.iter().copied())
            .chain(parts.flat_map(|p| match p {
                Part::Field(f) => std::slice::from_ref(f).iter().copied(),
                Part::Rows(g) => g.columns().iter().copied(),
            }))
            .collect();
        shown.sort_by_key(|f| f.index());
        assert_eq!(shown, Field::ALL);
    }

    /// Every input's label is core's name of its spec field, and no two
    /// fields of one binding share one.
    #[test]
    fn every_field_is_labelled_from_cores_catalogue() {
        let labels: Vec<&str> = Field::ALL.iter().map(|f| f.label()).collect();
        assert!(labels.iter().all(|l| !l.is_empty()), "{labels:?}");
        let mut unique = labels.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), labels.len(), "{labels:?}");
        assert_eq!(Field::AccountId.label(), "AWS account ID");
        assert_eq!(Field::Secret.label(), "Secrets Manager secret");
        assert_eq!(
            Field::AddonInput(AddonInput::HostedZones).label(),
            "Hosted zone ARNs"
        );
    }

    const SEED: [(Field, &str); 5] = [
        (Field::AccountId, "123456789012"),
        (Field::Region, "ap-south-1"),
        (Field::Cluster, "EXAMPLED539D4633E53DE1B716D3041E"),
        (Field::Namespace, "production"),
        (Field::ServiceAccount, "s3-writer"),
    ];

    fn seeded() -> State {
        SEED.iter().fold(State::default(), |s, (f, v)| {
            s.reduce(Action::Set(*f, v.to_string()))
        })
    }

    fn panel<'a>(s: &'a State, file: &str) -> &'a Panel {
        match &s.derived.output {
            Output::Panels(p) => p.iter().find(|p| p.file == file).unwrap(),
            Output::Stale(_) => panic!("stale output"),
            other => panic!("no panels: {other:?}"),
        }
    }

    #[test]
    fn the_addon_picker_offers_every_addon_and_its_release() {
        let Input::Select(choices) = Field::Addon.input() else {
            panic!("a select")
        };
        let names: Vec<&str> = choices.iter().skip(1).map(|c| c.0).collect();
        let known: Vec<&str> = irsa_core::addons::ADDONS.iter().map(|a| a.name).collect();
        assert_eq!(names, known);
        let s = seeded()
            .reduce(Action::Set(Field::ClusterName, "prod".into()))
            .reduce(Action::Set(Field::Addon, "karpenter".into()))
            .reduce(Action::Set(Field::AddonVersion, "0.37.5".into()));
        let policy = panel(&s, "permissions-policy.json");
        assert!(policy.text.contains("ec2:DescribeAvailabilityZones"));
        assert!(!policy.text.contains("eks:eks-cluster-name"));
        // A release irsa-gen has no policy for is shown at the version field.
        let s = s.reduce(Action::Set(Field::AddonVersion, "0.20".into()));
        assert!(s
            .derived
            .diagnostics
            .iter()
            .any(|d| d.path.as_deref() == Some("bindings[0].permissions.addons[0].version")));
        // Not one of the add-ons: the select keeps its value.
        let s = s.reduce(Action::Set(Field::Addon, "karpenterr".into()));
        assert_eq!(s.form.get(Field::Addon), "karpenter");
    }

    #[test]
    fn addons_take_their_inputs_per_row_with_findings_beside_them() {
        let zone = "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ";
        let zones = Field::AddonInput(AddonInput::HostedZones);
        let s = seeded().reduce(Action::Set(Field::Addon, "external-dns".into()));
        // Without zones: the add-on may change every zone, said beside it.
        assert!(s
            .derived
            .for_field(Field::Addon)
            .any(|d| d.code == "SPEC046"));
        let s = s.reduce(Action::SetAt(0, zones, 0, zone.into()));
        assert!(panel(&s, "permissions-policy.json").text.contains(zone));
        assert!(!s
            .derived
            .for_field(Field::Addon)
            .any(|d| d.code == "SPEC046"));
        // A second add-on in its own row: its input's finding is in that row.
        let kms = Field::AddonInput(AddonInput::KmsKeys);
        let s = s
            .reduce(Action::AddRow(0, Group::Addons))
            .reduce(Action::SetAt(0, Field::Addon, 1, "ebs-csi".into()))
            .reduce(Action::SetAt(
                0,
                kms,
                1,
                "arn:aws:sns:ap-south-1:123456789012:t".into(),
            ));
        assert!(s.derived.for_cell(0, kms, 1).any(|d| d.code == "SPEC045"));
        assert!(s.derived.for_cell(0, kms, 0).next().is_none());
        assert!(matches!(s.derived.output, Output::Stale(_)));
        let key = "arn:aws:kms:ap-south-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        let s = s.reduce(Action::SetAt(0, kms, 1, key.into()));
        let policy = panel(&s, "permissions-policy.json");
        assert!(policy.text.contains(key) && policy.text.contains(zone));
        assert_eq!(s.form.to_spec().bindings[0].permissions.addons.len(), 2);
        // Removing the first row leaves the second.
        let s = s.reduce(Action::RemoveRow(0, Group::Addons, 0));
        assert_eq!(s.form.get(Field::Addon), "ebs-csi");
        assert_eq!(s.form.rows(0, Some(Group::Addons)), 1);
    }

    #[test]
    fn statements_that_are_not_json_keep_the_artefacts_stale_with_the_error_beside() {
        let s = seeded();
        let good = r#"[{"Effect": "Allow", "Action": "sns:Publish", "Resource": "arn:aws:sns:ap-south-1:123456789012:alerts"}]"#;
        let s = s.reduce(Action::Set(Field::Statements, good.into()));
        let policy = panel(&s, "permissions-policy.json");
        assert!(policy.text.contains("sns:Publish"), "{}", policy.text);
        let Output::Panels(before) = s.derived.output.clone() else {
            panic!("{:?}", s.derived.output)
        };
        // Half-typed JSON: the last artefacts stay, the error is the field's.
        let s = s.reduce(Action::Set(Field::Statements, good[..30].into()));
        assert_eq!(s.derived.output, Output::Stale(before));
        let errors: Vec<&Diagnostic> = s.derived.for_field(Field::Statements).collect();
        assert_eq!(errors.len(), 1, "{:?}", s.derived.diagnostics);
        assert!(
            errors[0].message.contains("not valid JSON"),
            "{}",
            errors[0].message
        );
        assert_eq!(s.derived.unplaced().count(), 0);
        // Core's own judgement of a statement is beside the field too.
        let s = s.reduce(Action::Set(
            Field::Statements,
            r#"{"Effect": "Allow", "Action": "s3:GetObject"}"#.into(),
        ));
        assert!(s
            .derived
            .for_field(Field::Statements)
            .any(|d| d.code == "SPEC044"));
    }

    #[test]
    fn each_row_has_its_own_settings_and_findings() {
        let s = seeded()
            .reduce(Action::Set(Field::S3Bucket, "uploads".into()))
            .reduce(Action::Set(Field::S3Access, "write".into()))
            .reduce(Action::AddRow(0, Group::S3))
            .reduce(Action::SetAt(0, Field::S3Bucket, 1, "reports".into()))
            .reduce(Action::SetAt(0, Field::S3Prefix, 1, "2026/".into()))
            .reduce(Action::Set(Field::DynamoTable, "orders".into()))
            .reduce(Action::AddRow(0, Group::Tables))
            .reduce(Action::SetAt(0, Field::DynamoTable, 1, "audit".into()))
            .reduce(Action::SetAt(
                0,
                Field::DynamoAccess,
                1,
                "read-write".into(),
            ))
            .reduce(Action::Set(Field::SqsQueue, "jobs".into()))
            .reduce(Action::AddRow(0, Group::Queues))
            .reduce(Action::SetAt(0, Field::SqsQueue, 1, "results".into()))
            .reduce(Action::SetAt(0, Field::SqsAccess, 1, "send".into()));
        let p = s.form.to_spec().bindings[0].permissions.clone();
        assert_eq!(
            (p.s3[0].access, p.s3[1].access, p.s3[1].prefix.as_deref()),
            (S3Access::Write, S3Access::Read, Some("2026/"))
        );
        assert_eq!(
            (p.dynamodb[0].access, p.dynamodb[1].access),
            (TableAccess::Read, TableAccess::ReadWrite)
        );
        assert_eq!(
            (p.sqs[0].access, p.sqs[1].access),
            (QueueAccess::Consume, QueueAccess::Send)
        );
        let policy = panel(&s, "permissions-policy.json");
        assert!(
            policy.text.contains("arn:aws:s3:::reports/2026/*"),
            "{}",
            policy.text
        );
        assert_eq!(page_files(&s), cli_files(&s));
        // A bad name in a row is that row's error.
        let s = s.reduce(Action::SetAt(0, Field::SqsQueue, 1, "bad.queue".into()));
        assert!(s
            .derived
            .for_cell(0, Field::SqsQueue, 1)
            .any(|d| d.code == "SPEC043"));
        assert!(s.derived.for_cell(0, Field::SqsQueue, 0).next().is_none());
    }

    #[test]
    fn a_form_is_blank_exactly_when_it_is_the_default() {
        let blank = Form::default();
        assert!(blank.is_blank());
        for f in Field::ALL {
            let other = match f.input() {
                Input::Select(choices) => choices.last().map_or("", |c| c.0),
                Input::Text(_) | Input::Area(_) => "x",
            };
            let mut form = blank.clone();
            form.set(f, other);
            assert_eq!(form.is_blank(), form == blank, "{f:?}");
        }
        let mut two = blank.clone();
        two.add_binding();
        assert!(!two.is_blank());
        let mut rows = blank.clone();
        rows.add_row(0, Group::S3);
        assert!(!rows.is_blank());
        let mut back = blank.clone();
        back.set(Field::Namespace, "x");
        back.set(Field::Namespace, "");
        assert!(back.is_blank());
    }

    #[test]
    fn blank_form_shows_the_empty_state_without_errors() {
        let s = State::default();
        assert_eq!(s.derived.output, Output::Empty);
        assert!(s.derived.diagnostics.is_empty());
    }

    #[test]
    fn seed_values_generate_the_guide_trust_policy() {
        let s = seeded();
        let trust = panel(&s, "trust-policy.json");
        assert_eq!(trust.title, "Trust policy");
        assert!(trust.text.contains("\"Federated\": \"arn:aws:iam::123456789012:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E\""));
        assert!(trust
            .text
            .contains("\"oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:sub\": \"system:serviceaccount:production:s3-writer\""));
        let sa = panel(&s, "serviceaccount.yaml");
        assert!(sa.text.contains("name: s3-writer"));
        assert!(sa
            .json
            .as_deref()
            .unwrap()
            .contains("\"kind\": \"ServiceAccount\""));
        assert_eq!(s.derived.error_count(), 0);
    }

    /// What the CLI writes for the form's spec (`generate -f spec.yaml
    /// --output-dir`): every file of the bundle, by path, sorted.
    fn cli_files(s: &State) -> Vec<(String, String)> {
        let loaded = irsa_core::load_spec(&s.spec_yaml(), Some("spec.yaml"));
        let bundle = irsa_core::generate(loaded.spec.as_ref().unwrap()).unwrap();
        let several = bundle.bindings.len() > 1;
        let mut files: Vec<(String, String)> = bundle
            .bindings
            .iter()
            .flat_map(|b| {
                b.artefacts.iter().map(move |a| {
                    let path = if several {
                        format!("{}/{}", b.dir, a.file)
                    } else {
                        a.file.to_string()
                    };
                    (path, a.text.clone())
                })
            })
            .collect();
        files.sort();
        files
    }

    /// Every file the page shows: the core artefacts, and each alternative
    /// it offers when picked; sorted.
    fn page_files(s: &State) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = s
            .derived
            .panels()
            .iter()
            .filter(|p| p.primary)
            .map(|p| (p.file.clone(), p.text.clone()))
            .collect();
        for kind in &s.derived.offered {
            let picked = s.reduce(Action::Alternative(Some(*kind)));
            files.extend(
                picked
                    .derived
                    .panels()
                    .iter()
                    .filter(|p| !p.primary)
                    .map(|p| (p.file.clone(), p.text.clone())),
            );
        }
        files.sort();
        files
    }

    #[test]
    fn every_artefact_of_the_bundle_is_shown_or_offered() {
        let s = seeded()
            .reduce(Action::Set(Field::S3Bucket, "my-app-uploads".into()))
            .reduce(Action::Set(Field::S3Access, "write".into()))
            .reduce(Action::Set(Field::WorkloadName, "my-app".into()))
            .reduce(Action::Set(Field::WorkloadImage, "my-app:latest".into()));
        let shown: Vec<&str> = s.derived.panels().iter().map(|p| p.file.as_str()).collect();
        assert_eq!(
            shown,
            [
                "trust-policy.json",
                "permissions-policy.json",
                "serviceaccount.yaml",
                "deployment.yaml",
                "verify-pod.yaml"
            ]
        );
        assert_eq!(page_files(&s), cli_files(&s));
        let perms = panel(&s, "permissions-policy.json");
        assert!(perms.text.contains("s3:PutObject"));
        assert!(perms.json.is_none());
        // Only the alternative picked is rendered: it is beside the five.
        let s = s.reduce(Action::Alternative(Some(ArtefactKind::CloudFormationYaml)));
        assert_eq!(s.derived.panels().len(), 6);
        assert!(
            panel(&s, "cloudformation.yaml").json.is_none(),
            "its JSON is its own artefact"
        );
    }

    #[test]
    fn an_invalid_account_is_an_error_beside_its_field_and_marks_outputs_stale() {
        let s = seeded().reduce(Action::Set(Field::AccountId, "12345".into()));
        assert!(matches!(s.derived.output, Output::Stale(_)));
        let errors: Vec<&Diagnostic> = s.derived.for_field(Field::AccountId).collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].code, "SPEC010");
        assert!(errors[0].message.contains("has 5 digits"));
        assert!(s.derived.for_field(Field::Region).next().is_none());
        assert_eq!(s.derived.unplaced().count(), 0);
    }

    #[test]
    fn an_error_keeps_the_last_artefacts_as_stale_until_fixed() {
        let good = seeded();
        let Output::Panels(before) = &good.derived.output else {
            panic!("{:?}", good.derived.output)
        };
        // Typing a new account digit by digit: every step in between keeps the
        // artefacts of the last valid account.
        let mut s = good.reduce(Action::Set(Field::AccountId, "9".into()));
        for n in 2..12 {
            s = s.reduce(Action::Set(Field::AccountId, "9".repeat(n)));
            assert_eq!(
                s.derived.output,
                Output::Stale(before.clone()),
                "{n} digits"
            );
            assert!(s
                .derived
                .for_field(Field::AccountId)
                .any(|d| d.code == "SPEC010"));
        }
        s = s.reduce(Action::Set(Field::AccountId, "9".repeat(12)));
        assert!(panel(&s, "serviceaccount.yaml")
            .text
            .contains("999999999999"));
        // Reset and a fresh invalid query start without artefacts.
        let reset = s
            .reduce(Action::Reset)
            .reduce(Action::Set(Field::AccountId, "1".into()));
        assert_eq!(reset.derived.output, Output::Invalid);
    }

    #[test]
    fn missing_fields_are_reported_beside_them() {
        let s = State::default().reduce(Action::Set(Field::AccountId, "123456789012".into()));
        for f in [
            Field::Region,
            Field::Cluster,
            Field::Namespace,
            Field::ServiceAccount,
        ] {
            assert!(
                s.derived.for_field(f).any(|d| d.code == "SPEC004"),
                "{f:?}: {:?}",
                s.derived.diagnostics
            );
        }
        assert_eq!(
            s.derived.unplaced().count(),
            0,
            "{:?}",
            s.derived.diagnostics
        );
    }

    #[test]
    fn warnings_keep_the_outputs() {
        // The guide's cluster ID is AWS's documentation placeholder: an info
        // finding beside the field (a finding below error), and the outputs stay.
        let s = seeded();
        assert!(s
            .derived
            .for_field(Field::Cluster)
            .any(|d| d.code == "SPEC014"));
        assert!(matches!(s.derived.output, Output::Panels(_)));
    }

    #[test]
    fn pod_identity_needs_a_cluster_name_and_says_so_there() {
        let s = seeded().reduce(Action::Set(Field::IdentityType, "pod-identity".into()));
        assert!(
            s.derived
                .for_field(Field::ClusterName)
                .any(|d| d.severity == Severity::Error),
            "{:?}",
            s.derived.diagnostics
        );
        let s = s.reduce(Action::Set(Field::ClusterName, "my-cluster".into()));
        let trust = panel(&s, "trust-policy.json");
        assert!(trust.text.contains("pods.eks.amazonaws.com"));
    }

    #[test]
    fn selects_take_only_their_values() {
        let s = seeded().reduce(Action::Set(Field::IdentityType, "bogus".into()));
        assert_eq!(s.form.get(Field::IdentityType), "irsa");
        assert_eq!(s, seeded());
    }

    #[test]
    fn json_toggle_shows_manifests_as_json_only() {
        let s = seeded().reduce(Action::ManifestsAsJson(true));
        let sa = panel(&s, "serviceaccount.yaml");
        let (text, lang) = sa.shown(s.manifests_as_json);
        assert_eq!(lang, Lang::Json);
        assert!(text.starts_with('{'));
        assert_eq!(sa.shown_file(true), "serviceaccount.json");
        let trust = panel(&s, "trust-policy.json");
        assert_eq!(trust.shown(true).0, trust.text);
        assert_eq!(trust.shown_file(true), "trust-policy.json");
    }

    #[test]
    fn json_view_never_clashes_with_a_json_sibling() {
        let s = seeded();
        let Output::Panels(panels) = &s.derived.output else {
            panic!("no panels")
        };
        let files: Vec<String> = panels.iter().map(|p| p.shown_file(true)).collect();
        let mut unique = files.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(files.len(), unique.len(), "{files:?}");
        if panels.iter().any(|p| p.file == "cloudformation.json") {
            assert!(panel(&s, "cloudformation.yaml").json.is_none());
        }
        for p in panels.iter().filter(|p| p.format != Format::Yaml) {
            assert!(p.json.is_none(), "{}", p.file);
        }
    }

    #[test]
    fn query_round_trips_the_state() {
        let s = seeded()
            .reduce(Action::Set(Field::S3Bucket, "my bucket&co=1%".into()))
            .reduce(Action::Set(Field::S3Access, "read-write".into()))
            .reduce(Action::Set(Field::WorkloadImage, "repo/app:1.0 ünï".into()))
            .reduce(Action::ManifestsAsJson(true))
            .reduce(Action::Wrap(false))
            .reduce(Action::SetMode(Mode::Check));
        let q = s.to_query();
        assert!(
            q.starts_with("mode=check&out=json&wrap=off&account=123456789012&region=ap-south-1")
        );
        assert!(!q.contains(' ') && !q.contains("&co"));
        // The query holds the form and the toggles; the stale artefacts shown
        // while its bucket is invalid are the page's memory, not its state.
        let fresh = State::from_query(&q);
        assert_eq!(
            (&fresh.form, fresh.mode, fresh.wrap, fresh.manifests_as_json),
            (&s.form, s.mode, s.wrap, s.manifests_as_json)
        );
        assert_eq!(fresh.derived, derive(&s.form, None));
        assert_eq!(State::from_query(&format!("?{q}")), fresh);
        assert_eq!(State::default().reduce(Action::Restore(q)), fresh);
    }

    #[test]
    fn several_bindings_travel_compressed_with_the_chosen_format() {
        let mut s = seeded().reduce(Action::Set(Field::S3Bucket, "my-app-uploads".into()));
        for _ in 0..4 {
            s = s.reduce(Action::DuplicateBinding(0));
        }
        for b in 1..5 {
            s = s.reduce(Action::SetIn(
                b,
                Field::ServiceAccount,
                format!("worker-{b}"),
            ));
        }
        s = s.reduce(Action::Alternative(Some(ArtefactKind::Terraform)));
        assert_eq!(s.derived.error_count(), 0, "{:?}", s.derived.diagnostics);
        let q = s.to_query();
        assert!(q.starts_with("alt=main&s="), "{q}");
        let plain = share::form_pairs(&s.form);
        assert!(q.len() < plain.len(), "{} vs {}", q.len(), plain.len());
        let fresh = State::from_query(&q);
        assert_eq!(fresh.form, s.form);
        assert_eq!(fresh.alternative, Some(ArtefactKind::Terraform));
        assert_eq!(fresh.derived, s.derived);
        // Five bindings, each in its folder.
        let files: Vec<&str> = s.derived.panels().iter().map(|p| p.file.as_str()).collect();
        assert!(
            files.contains(&"production/worker-4/trust-policy.json"),
            "{files:?}"
        );
        // A core artefact is never an "alternative".
        let s = s.reduce(Action::Alternative(Some(ArtefactKind::TrustPolicy)));
        assert_eq!(s.alternative, None);
    }

    #[test]
    fn bindings_are_added_duplicated_and_removed_with_errors_at_their_fields() {
        let s = seeded().reduce(Action::AddBinding);
        assert_eq!(s.form.binding_count(), 2);
        // The blank second binding: its errors beside its own fields.
        assert!(matches!(s.derived.output, Output::Stale(_)));
        assert!(s
            .derived
            .for_field_in(1, Field::Namespace)
            .any(|d| d.code == "SPEC004"));
        assert!(s.derived.for_field_in(0, Field::Namespace).next().is_none());
        assert_eq!(
            s.derived.unplaced().count(),
            0,
            "{:?}",
            s.derived.diagnostics
        );
        let mut bucket = s.form.clone();
        bucket.set_in(1, Field::S3Bucket, "b");
        assert_eq!(
            form_place::place(&bucket, "bindings[1].permissions.s3[0]")
                .map(|p| (p.binding, p.field)),
            Some((1, Field::S3Bucket))
        );
        let s = s
            .reduce(Action::SetIn(1, Field::Namespace, "batch".into()))
            .reduce(Action::SetIn(1, Field::ServiceAccount, "runner".into()));
        assert_eq!(s.derived.error_count(), 0, "{:?}", s.derived.diagnostics);
        let files: Vec<&str> = s
            .derived
            .panels()
            .iter()
            .filter(|p| p.binding == 1)
            .map(|p| p.file.as_str())
            .collect();
        assert!(
            files.contains(&"batch/runner/trust-policy.json"),
            "{files:?}"
        );
        // A duplicate is the same service account twice: an error at the copy.
        let s = s.reduce(Action::DuplicateBinding(1));
        assert_eq!(s.form.get_in(2, Field::Namespace), "batch");
        assert!(s.derived.error_count() > 0);
        let s = s
            .reduce(Action::RemoveBinding(2))
            .reduce(Action::RemoveBinding(0));
        assert_eq!(s.form.binding_count(), 1);
        assert_eq!(s.form.get(Field::Namespace), "batch");
        // The last binding is cleared, never removed.
        let s = s.reduce(Action::RemoveBinding(0));
        assert_eq!(s.form.binding_count(), 1);
        assert_eq!(s.form.get(Field::Namespace), "");
    }

    /// The spec the page downloads is what the CLI reads: loaded by core's
    /// loader (`irsa-gen generate -f spec.yaml`), it gives the page's files.
    #[test]
    fn the_downloaded_spec_gives_the_cli_the_pages_files() {
        let s = seeded()
            .reduce(Action::Set(Field::S3Bucket, "my-app-uploads".into()))
            .reduce(Action::Set(Field::WorkloadName, "my-app".into()))
            .reduce(Action::Set(Field::WorkloadImage, "my-app:latest".into()))
            .reduce(Action::AddRow(0, Group::S3))
            .reduce(Action::SetAt(0, Field::S3Bucket, 1, "my-app-reports".into()))
            .reduce(Action::SetAt(0, Field::S3Prefix, 1, "2026/".into()))
            .reduce(Action::SetAt(0, Field::S3Access, 1, "read-write".into()))
            .reduce(Action::Set(Field::DynamoTable, "orders".into()))
            .reduce(Action::AddRow(0, Group::Tables))
            .reduce(Action::SetAt(0, Field::DynamoTable, 1, "audit".into()))
            .reduce(Action::SetAt(0, Field::DynamoAccess, 1, "read-write".into()))
            .reduce(Action::Set(Field::SqsQueue, "jobs".into()))
            .reduce(Action::Set(Field::SqsAccess, "send".into()))
            .reduce(Action::Set(Field::ClusterName, "prod".into()))
            .reduce(Action::Set(Field::Addon, "external-dns".into()))
            .reduce(Action::SetAt(
                0,
                Field::AddonInput(AddonInput::HostedZones),
                0,
                "arn:aws:route53:::hostedzone/Z1, arn:aws:route53:::hostedzone/Z2".into(),
            ))
            .reduce(Action::AddRow(0, Group::Addons))
            .reduce(Action::SetAt(0, Field::Addon, 1, "karpenter".into()))
            .reduce(Action::SetAt(0, Field::AddonVersion, 1, "0.37.5".into()))
            .reduce(Action::Set(
                Field::Statements,
                "[\n  {\n    \"Effect\": \"Allow\",\n    \"Action\": \"sns:Publish\",\n    \"Resource\": \"*\"\n  }\n]".into(),
            ))
            .reduce(Action::DuplicateBinding(0))
            .reduce(Action::SetIn(1, Field::ServiceAccount, "reader".into()));
        assert_eq!(s.derived.error_count(), 0, "{:?}", s.derived.diagnostics);
        let yaml = s.spec_yaml();
        assert_eq!(page_files(&s), cli_files(&s));
        // Opened again, the same form.
        let opened = State::default().reduce(Action::OpenSpec(yaml));
        assert_eq!(opened.form, s.form);
        assert_eq!(opened.opened.as_ref().map(|o| o.left_out.len()), Some(0));
        // And the share link holds it all too.
        assert_eq!(State::from_query(&s.to_query()).form, s.form);
    }

    /// The spec's camelCase keys, from its schema (not from the catalogue
    /// the page's words come from).
    fn camel_keys() -> Vec<String> {
        fn walk(v: &serde_json::Value, out: &mut Vec<String>) {
            match v {
                serde_json::Value::Object(m) => {
                    if let Some(serde_json::Value::Object(props)) = m.get("properties") {
                        out.extend(props.keys().cloned());
                    }
                    m.values().for_each(|v| walk(v, out));
                }
                serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let mut keys = Vec::new();
        walk(&irsa_core::spec::json_schema(), &mut keys);
        keys.retain(|k| k.contains(|c: char| c.is_ascii_uppercase()));
        keys.sort();
        keys.dedup();
        keys
    }

    /// What the page says of `d` that names a spec key or a CLI flag (an
    /// AWS CLI command between backticks is one to run, and stays).
    fn leaks(d: &Diagnostic, keys: &[String]) -> Vec<String> {
        let mut found = Vec::new();
        for text in [&d.message, &d.help] {
            let outside: String = text
                .split('`')
                .enumerate()
                .filter(|(i, part)| i % 2 == 0 || !part.starts_with("aws "))
                .map(|(_, part)| part)
                .collect::<Vec<_>>()
                .join(" ");
            let words: Vec<&str> = outside
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                .collect();
            for w in &words {
                if keys.iter().any(|k| k == w) || (w.starts_with("--") && w.len() > 2) {
                    found.push(format!("{}: {w} in {text:?}", d.code));
                }
            }
        }
        found
    }

    /// Item 5 of issue #22: every message of the page in the form's words.
    /// Every spec fixture (a trigger of each SPEC code), opened in the page
    /// and validated as the page shows findings, and the forms' own errors.
    #[test]
    fn no_message_in_the_page_names_a_spec_key_or_a_flag() {
        let keys = camel_keys();
        assert!(keys.iter().any(|k| k == "accountId"), "{keys:?}");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/spec");
        let mut shown: Vec<Diagnostic> = Vec::new();
        let mut cli: Vec<Diagnostic> = Vec::new();
        let mut specs = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let case = entry.unwrap().path();
            for name in ["spec.yaml", "spec.json", "spec.yml"] {
                let Ok(text) = std::fs::read_to_string(case.join(name)) else {
                    continue;
                };
                specs += 1;
                let opened = State::default().reduce(Action::OpenSpec(text.clone()));
                shown.extend(opened.opened.into_iter().flat_map(|o| o.problems));
                shown.extend(opened.derived.diagnostics);
                // What the page would say with a field for every value.
                let loaded = irsa_core::load_spec(&text, Some(name));
                shown.extend(loaded.diagnostics.iter().map(irsa_core::fields::in_words));
                cli.extend(loaded.diagnostics);
            }
        }
        // The CLI keeps the spec's keys (its users write them): the same
        // findings there do name them, so this test can fail.
        let in_cli = cli.iter().flat_map(|d| leaks(d, &keys)).count();
        assert!(in_cli > 30, "{in_cli}");
        assert!(specs >= 100, "{specs} specs");
        let forms = [
            State::default().reduce(Action::Set(Field::AccountId, "1".into())),
            seeded()
                .reduce(Action::Set(Field::IdentityType, "pod-identity".into()))
                .reduce(Action::Set(Field::Addon, "external-dns".into()))
                .reduce(Action::SetAt(
                    0,
                    Field::AddonInput(AddonInput::Buckets),
                    0,
                    "x".into(),
                )),
            seeded().reduce(Action::Set(Field::Statements, "[{".into())),
        ];
        shown.extend(forms.into_iter().flat_map(|s| s.derived.diagnostics));
        assert!(shown.len() > 150, "{}", shown.len());
        let leaked: Vec<String> = shown.iter().flat_map(|d| leaks(d, &keys)).collect();
        assert!(leaked.is_empty(), "{leaked:#?}");
    }

    #[test]
    fn an_unreadable_spec_keeps_the_form_and_says_why() {
        let s = seeded().reduce(Action::OpenSpec("bindings: [\n".into()));
        assert_eq!(s.form, seeded().form);
        let opened = s.opened.unwrap();
        assert_eq!(opened.problems[0].code, "SPEC001");
    }

    #[test]
    fn artefacts_not_generated_name_the_field_that_adds_them() {
        let s = seeded();
        let needs: Vec<(ArtefactKind, Field)> = s
            .derived
            .missing
            .iter()
            .map(|m| (m.kind, m.field))
            .collect();
        assert!(
            needs.contains(&(ArtefactKind::Deployment, Field::WorkloadName)),
            "{needs:?}"
        );
        assert!(needs.contains(&(ArtefactKind::PermissionsPolicy, Field::S3Bucket)));
        assert!(needs.contains(&(ArtefactKind::EksctlCluster, Field::ClusterName)));
        assert!(needs.contains(&(ArtefactKind::PodIdentity, Field::IdentityType)));
        let s = s
            .reduce(Action::Set(Field::WorkloadName, "my-app".into()))
            .reduce(Action::Set(Field::WorkloadImage, "my-app:latest".into()))
            .reduce(Action::Set(Field::ClusterName, "prod".into()));
        let needs: Vec<(ArtefactKind, Field)> = s
            .derived
            .missing
            .iter()
            .map(|m| (m.kind, m.field))
            .collect();
        assert!(!needs.iter().any(|(k, _)| *k == ArtefactKind::Deployment));
        assert!(
            needs.contains(&(ArtefactKind::EksctlCluster, Field::S3Bucket)),
            "{needs:?}"
        );
        // While the form is invalid the notes of the stale artefacts stay.
        let stale = s.reduce(Action::Set(Field::AccountId, "1".into()));
        assert_eq!(stale.derived.missing, s.derived.missing);
    }

    #[test]
    fn defaults_are_not_written_to_the_query() {
        assert_eq!(State::default().to_query(), "");
        assert_eq!(seeded().to_query(), "account=123456789012&region=ap-south-1&cluster=EXAMPLED539D4633E53DE1B716D3041E&ns=production&sa=s3-writer");
    }

    #[test]
    fn hostile_queries_are_ignored_not_fatal() {
        let s = State::from_query("%&=&&identity=root&%zz=%G1&account=%E2%82&ns=a+b");
        assert_eq!(s.form.get(Field::IdentityType), "irsa");
        assert_eq!(s.form.get(Field::AccountId), "\u{FFFD}");
        assert_eq!(s.form.get(Field::Namespace), "a b");
        assert_eq!(decode("%4"), "%4");
        assert_eq!(decode("100%"), "100%");
        assert_eq!(encode("a b/é"), "a%20b%2F%C3%A9");
    }

    #[test]
    fn download_all_is_a_zip_of_every_file_the_cli_writes() {
        let s = seeded()
            .reduce(Action::DuplicateBinding(0))
            .reduce(Action::SetIn(1, Field::ServiceAccount, "reader".into()));
        let zip = archive(&s.form).unwrap();
        assert_eq!(zip, archive(&s.form).unwrap(), "the same bytes every time");
        assert_eq!(zip.get(..4), Some(&b"PK\x03\x04"[..]));
        for (file, text) in cli_files(&s) {
            let entry = [file.as_bytes(), text.as_bytes()].concat();
            assert!(zip.windows(entry.len()).any(|w| w == entry), "{file}");
        }
        let invalid = s.reduce(Action::Set(Field::AccountId, "1".into()));
        assert_eq!(archive(&invalid.form), None);
    }

    #[test]
    fn reset_clears_the_form_but_keeps_the_mode() {
        let s = seeded()
            .reduce(Action::SetMode(Mode::Check))
            .reduce(Action::Reset);
        assert_eq!(s.mode, Mode::Check);
        assert!(s.form.is_blank());
        assert_eq!(s.derived.output, Output::Empty);
    }

    #[test]
    fn diagnose_mode_is_in_the_query_and_answers_with_check_modes_files() {
        let s = State::default().reduce(Action::SetMode(Mode::Diagnose));
        assert_eq!(s.to_query(), "mode=diagnose");
        assert_eq!(State::from_query("mode=diagnose").mode, Mode::Diagnose);
        let s = s.reduce(Action::Diagnose(DiagnoseAction::Message {
            text: "InvalidIdentityToken: Incorrect token audience".into(),
            now: None,
        }));
        assert_eq!(s.diagnose.answer.as_ref().map(|a| a.files), Some(0));
        assert_eq!(
            s.to_query(),
            "mode=diagnose",
            "the message stays out of the URL"
        );
        let s = s.reduce(Action::Check(CheckAction::Add {
            name: "trust.json".into(),
            text: "{}".into(),
        }));
        assert_eq!(s.diagnose.answer.as_ref().map(|a| a.files), Some(1));
        let s = s.reduce(Action::Reset);
        assert!(s.diagnose.answer.is_some(), "reset clears the form only");
    }

    #[test]
    fn migrate_mode_and_its_target_are_in_the_query() {
        use irsa_core::migrate::Direction;
        let s = State::default().reduce(Action::SetMode(Mode::Migrate));
        assert_eq!(s.to_query(), "mode=migrate");
        let s = s.reduce(Action::MigrateTo(Direction::ToIrsa));
        assert_eq!(s.to_query(), "mode=migrate&to=irsa");
        let back = State::from_query(&s.to_query());
        assert_eq!(
            (back.mode, back.migrate_to),
            (Mode::Migrate, Direction::ToIrsa)
        );
        assert_eq!(
            State::from_query("to=both").migrate_to,
            Direction::ToPodIdentity
        );
    }
}
