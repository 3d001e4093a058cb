//! Check mode's state: files in, core's checker, evaluator and webhook out.
//!
//! Pure like [`crate::state`]: every finding, decision and preview comes from
//! `irsa_core::{check, eval, inject}`; this module only keeps the files and
//! the user's choices.

use std::collections::BTreeMap;

use irsa_core::check::{check_report, CheckOptions, SourceFile};
use irsa_core::eval::{simulate, SimulateRequest, Simulation};
use irsa_core::inject::{inject, InjectOptions};
use irsa_core::inventory::Inventory;
use irsa_core::page_words::{in_page_words, say, Mode};
use irsa_core::placeholder::{self, Values};
use irsa_core::Diagnostic;

/// Most files kept at once (a drop of a whole folder stops there).
pub const MAX_FILES: usize = 20;
/// Largest file accepted, in bytes (core has its own parse limits too).
pub const MAX_FILE_BYTES: usize = 512 * 1024;

/// The simulation of one trust policy file.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustSimulation {
    /// The file.
    pub file: String,
    /// Core's decision.
    pub simulation: Simulation,
}

/// What check mode shows.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CheckState {
    /// The files, in the order added.
    pub files: Vec<SourceFile>,
    /// Core's findings over all files.
    pub diagnostics: Vec<Diagnostic>,
    /// Core's summary line (findings by severity, inputs by kind).
    pub summary: String,
    /// What the files held, by kind: whether anything was checked at all.
    pub inventory: Inventory,
    /// Placeholder values, `NAME=VALUE` per line (the CLI's `--set`).
    pub set_text: String,
    /// Why `set_text` cannot be read, if it cannot.
    pub set_error: Option<String>,
    /// The selected finding (index into `diagnostics`).
    pub selected: Option<usize>,
    /// Simulate: the pod's namespace.
    pub namespace: String,
    /// Simulate: the pod's ServiceAccount.
    pub service_account: String,
    /// Simulate: the rest of `irsa-gen simulate`'s options, as typed.
    pub sim: SimOptions,
    /// Why the simulate options cannot be used, if they cannot.
    pub sim_problems: Vec<String>,
    /// One entry per file that is a trust policy (empty until both names are set).
    pub simulations: Vec<TrustSimulation>,
    /// Preview: the file holding the ServiceAccount (None: the first pair that works).
    pub sa_file: Option<String>,
    /// Preview: the file holding the workload (None: the first pair that works).
    pub workload_file: Option<String>,
    /// The preview: the files used and the admitted text, or core's findings.
    pub preview: Option<Preview>,
    /// Why the last file was refused, if it was.
    pub notice: Option<String>,
}

/// The options of `irsa-gen simulate` beside the names, as typed (empty: not given).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SimOptions {
    /// `--audience`.
    pub audience: String,
    /// `--issuer`.
    pub issuer: String,
    /// `--role-arn`.
    pub role_arn: String,
    /// `--account`.
    pub account: String,
    /// `--context`: one `KEY=VALUE` a line.
    pub context: String,
}

/// One simulate option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SimField {
    /// `--audience`.
    Audience,
    /// `--issuer`.
    Issuer,
    /// `--role-arn`.
    RoleArn,
    /// `--account`.
    Account,
    /// `--context` lines.
    Context,
}

impl SimOptions {
    /// The text typed for an option.
    pub fn value(&self, f: SimField) -> &str {
        match f {
            SimField::Audience => &self.audience,
            SimField::Issuer => &self.issuer,
            SimField::RoleArn => &self.role_arn,
            SimField::Account => &self.account,
            SimField::Context => &self.context,
        }
    }

    fn field(&mut self, f: SimField) -> &mut String {
        match f {
            SimField::Audience => &mut self.audience,
            SimField::Issuer => &mut self.issuer,
            SimField::RoleArn => &mut self.role_arn,
            SimField::Account => &mut self.account,
            SimField::Context => &mut self.context,
        }
    }

    /// The request core's `simulate` takes, or what is wrong with the options.
    pub fn request(
        &self,
        namespace: &str,
        service_account: &str,
    ) -> Result<SimulateRequest, Vec<String>> {
        let given = |s: &str| Some(s.trim().to_string()).filter(|s| !s.is_empty());
        let mut context: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let mut problems = Vec::new();
        for line in self
            .context
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
        {
            match line.split_once('=') {
                Some((k, v)) if !k.trim().is_empty() => context
                    .entry(k.trim().to_string())
                    .or_default()
                    .push(v.to_string()),
                _ => problems.push(format!("context line `{line}` is not KEY=VALUE")),
            }
        }
        let request = SimulateRequest {
            namespace: namespace.to_string(),
            service_account: service_account.to_string(),
            audience: given(&self.audience),
            issuer: given(&self.issuer),
            role_arn: given(&self.role_arn),
            account: given(&self.account),
            context,
        };
        problems.extend(request.problems());
        if problems.is_empty() {
            Ok(request)
        } else {
            Err(problems)
        }
    }
}

/// The pod as EKS admits it.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The ServiceAccount file.
    pub sa_file: String,
    /// The workload file.
    pub workload_file: String,
    /// The admitted document, or why there is none.
    pub result: Result<String, Vec<Diagnostic>>,
}

/// Everything that changes check mode.
#[derive(Debug, Clone, PartialEq)]
pub enum CheckAction {
    /// Add a file, or replace the one of that name.
    Add {
        /// File name.
        name: String,
        /// Its text.
        text: String,
    },
    /// A file too large to read was dropped.
    TooLarge {
        /// File name.
        name: String,
        /// Its size.
        bytes: f64,
    },
    /// Remove the file of that name.
    Remove(String),
    /// Remove every file.
    Clear,
    /// Select a finding (or none).
    Select(Option<usize>),
    /// Simulate: namespace.
    Namespace(String),
    /// Simulate: ServiceAccount.
    ServiceAccount(String),
    /// Simulate: another option.
    Sim(SimField, String),
    /// Preview: ServiceAccount file (empty: automatic).
    SaFile(String),
    /// Preview: workload file (empty: automatic).
    WorkloadFile(String),
    /// Placeholder values, `NAME=VALUE` per line.
    Set(String),
}

impl CheckState {
    /// The next state.
    pub fn reduce(&self, action: CheckAction) -> CheckState {
        let mut next = self.clone();
        next.notice = None;
        match action {
            CheckAction::Add { name, text } => {
                let name = if name.trim().is_empty() {
                    format!("pasted-{}.yaml", self.files.len() + 1)
                } else {
                    name.trim().to_string()
                };
                if text.len() > MAX_FILE_BYTES {
                    next.notice = Some(format!(
                        "{name} is {} bytes; the playground takes files up to {MAX_FILE_BYTES} bytes (the CLI has no such limit)",
                        text.len()
                    ));
                    return next;
                }
                let full = next.files.len() >= MAX_FILES;
                match next.files.iter_mut().find(|f| f.name == name) {
                    Some(f) => f.text = text,
                    None if full => {
                        next.notice = Some(format!(
                            "{name} was not added: the playground checks at most {MAX_FILES} files at once"
                        ));
                        return next;
                    }
                    None => next.files.push(SourceFile { name, text }),
                }
                next.selected = None;
            }
            CheckAction::TooLarge { name, bytes } => {
                next.notice = Some(format!(
                    "{name} is {bytes} bytes; the playground takes files up to {MAX_FILE_BYTES} bytes (the CLI has no such limit)"
                ));
                return next;
            }
            CheckAction::Remove(name) => {
                next.files.retain(|f| f.name != name);
                next.selected = None;
            }
            CheckAction::Clear => {
                next.files.clear();
                next.selected = None;
            }
            CheckAction::Select(i) => {
                next.selected = i.filter(|i| *i < self.diagnostics.len());
                return next;
            }
            CheckAction::Namespace(ns) => next.namespace = ns,
            CheckAction::ServiceAccount(sa) => next.service_account = sa,
            CheckAction::Sim(field, value) => *next.sim.field(field) = value,
            CheckAction::SaFile(f) => next.sa_file = (!f.is_empty()).then_some(f),
            CheckAction::WorkloadFile(f) => next.workload_file = (!f.is_empty()).then_some(f),
            CheckAction::Set(text) => next.set_text = text,
        }
        next.recompute();
        next
    }

    /// The selected finding.
    pub fn selected_diagnostic(&self) -> Option<&Diagnostic> {
        self.selected.and_then(|i| self.diagnostics.get(i))
    }

    /// The line of `file` the selected finding points at.
    pub fn highlighted_line(&self, file: &str) -> Option<u32> {
        self.selected_diagnostic()
            .filter(|d| d.file.as_deref() == Some(file))
            .and_then(|d| d.line)
    }

    /// The placeholder values (the last line of a name wins, as with `--set`).
    fn values(&mut self) -> Values {
        match placeholder::parse_assignments(&self.set_text) {
            Ok(pairs) => {
                self.set_error = None;
                pairs.into_iter().collect()
            }
            Err((line, e)) => {
                self.set_error = Some(format!("line {line}: {e}"));
                Values::new()
            }
        }
    }

    fn recompute(&mut self) {
        let values = self.values();
        let options = CheckOptions {
            set: values.clone(),
            ..CheckOptions::default()
        };
        (self.diagnostics, self.summary, self.inventory) = if self.files.is_empty() {
            (Vec::new(), String::new(), Inventory::default())
        } else {
            let mut report = check_report(&self.files, &options);
            let summary = report
                .inventory
                .summary(&report.diagnostics, self.files.len());
            // Errors first; within a severity, core's order (file, line).
            report.diagnostics.sort_by_key(|d| d.severity);
            (shown(&report.diagnostics), summary, report.inventory)
        };
        let fill = |text: &str| placeholder::fill(text, &values).text;
        let (ns, sa) = (self.namespace.trim(), self.service_account.trim());
        self.sim_problems = Vec::new();
        self.simulations = if ns.is_empty() || sa.is_empty() {
            Vec::new()
        } else {
            match self.sim.request(ns, sa) {
                Err(problems) => {
                    self.sim_problems = problems.iter().map(|p| say(p, Mode::Check)).collect();
                    Vec::new()
                }
                Ok(request) => self
                    .files
                    .iter()
                    .filter_map(|f| {
                        simulate(&fill(&f.text), &request)
                            .ok()
                            .map(|simulation| TrustSimulation {
                                file: f.name.clone(),
                                simulation,
                            })
                    })
                    .collect(),
            }
        };
        self.preview = self.compute_preview(&values);
    }

    fn compute_preview(&self, values: &Values) -> Option<Preview> {
        let fill = |text: &str| placeholder::fill(text, values).text;
        // A ServiceAccount without role-arn is mutated only through a Pod
        // Identity association: then the preview is the webhook's Pod Identity
        // mode (label, agent env, lifetime range), its findings on top.
        let admit = |sa: &str, w: &str| {
            let irsa = inject(sa, w, &InjectOptions::default());
            match &irsa {
                Err(d) if d.iter().all(|d| d.code == "IRSA101") => {
                    let options = InjectOptions {
                        pod_identity: true,
                        ..InjectOptions::default()
                    };
                    inject(sa, w, &options).map_err(|_| d.clone())
                }
                _ => irsa,
            }
        };
        let run = |sa: &SourceFile, w: &SourceFile| Preview {
            sa_file: sa.name.clone(),
            workload_file: w.name.clone(),
            result: admit(&fill(&sa.text), &fill(&w.text))
                .map(|i| {
                    let notes: String = i
                        .findings
                        .iter()
                        .map(|d| format!("# {}: {}\n", d.code, say(&d.message, Mode::Check)))
                        .collect();
                    notes + &i.text
                })
                .map_err(|d| shown(&d)),
        };
        let find = |name: &Option<String>| {
            name.as_ref()
                .and_then(|n| self.files.iter().find(|f| &f.name == n))
        };
        match (find(&self.sa_file), find(&self.workload_file)) {
            (Some(sa), Some(w)) => Some(run(sa, w)),
            (sa, w) => {
                let sas: Vec<&SourceFile> =
                    sa.map_or_else(|| self.files.iter().collect(), |f| vec![f]);
                let ws: Vec<&SourceFile> =
                    w.map_or_else(|| self.files.iter().collect(), |f| vec![f]);
                ws.iter()
                    .flat_map(|w| sas.iter().map(move |sa| (*sa, *w)))
                    .map(|(sa, w)| run(sa, w))
                    .find(|p| p.result.is_ok())
            }
        }
    }
}

/// Core's findings as check mode shows them: the files' own keys kept, the
/// CLI's flags as the page's controls ([`irsa_core::page_words`]).
pub fn shown(diagnostics: &[Diagnostic]) -> Vec<Diagnostic> {
    diagnostics
        .iter()
        .map(|d| in_page_words(d, Mode::Check))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUST_NO_SUB: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Principal": {
        "Federated": "arn:aws:iam::123456789012:oidc-provider/oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E"
      },
      "Action": "sts:AssumeRoleWithWebIdentity",
      "Condition": {
        "StringEquals": {
          "oidc.eks.ap-south-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B716D3041E:aud": "sts.amazonaws.com"
        }
      }
    }
  ]
}
"#;

    const SA: &str = "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: s3-writer\n  namespace: production\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/S3WriterRole\n";

    const DEPLOYMENT: &str = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n  namespace: production\nspec:\n  selector:\n    matchLabels: {app: my-app}\n  template:\n    metadata:\n      labels: {app: my-app}\n    spec:\n      serviceAccountName: s3-writer\n      containers:\n        - name: app\n          image: my-app:latest\n";

    fn add(s: &CheckState, name: &str, text: &str) -> CheckState {
        s.reduce(CheckAction::Add {
            name: name.into(),
            text: text.into(),
        })
    }

    #[test]
    fn a_trust_without_sub_is_irsa004_on_its_line() {
        let s = add(&CheckState::default(), "trust-policy.json", TRUST_NO_SUB);
        let i = s
            .diagnostics
            .iter()
            .position(|d| d.code == "IRSA004")
            .unwrap();
        let s = s.reduce(CheckAction::Select(Some(i)));
        let d = s.selected_diagnostic().unwrap();
        assert_eq!(d.file.as_deref(), Some("trust-policy.json"));
        let line = s.highlighted_line("trust-policy.json").unwrap();
        assert!(line >= 1 && line as usize <= TRUST_NO_SUB.lines().count());
        assert_eq!(s.highlighted_line("other.yaml"), None);
    }

    #[test]
    fn simulate_decides_per_trust_file_once_both_names_are_set() {
        let s = add(&CheckState::default(), "trust-policy.json", TRUST_NO_SUB);
        let s = add(&s, "serviceaccount.yaml", SA);
        assert!(s.simulations.is_empty());
        let s = s
            .reduce(CheckAction::Namespace("production".into()))
            .reduce(CheckAction::ServiceAccount("s3-writer".into()));
        assert_eq!(s.simulations.len(), 1, "only the trust policy is simulated");
        assert_eq!(s.simulations[0].file, "trust-policy.json");
        assert!(!s.simulations[0].simulation.results.is_empty());
    }

    #[test]
    fn simulate_takes_the_clis_options() {
        let s = add(&CheckState::default(), "trust-policy.json", TRUST_NO_SUB)
            .reduce(CheckAction::Namespace("production".into()))
            .reduce(CheckAction::ServiceAccount("s3-writer".into()));
        let sim = &s.simulations[0].simulation;
        assert_eq!(sim.role.source, irsa_core::eval::RoleSource::Assumed);
        assert_eq!(sim.decision, irsa_core::eval::Decision::Allow);
        // The role in another account: the trust's provider is not its account's.
        let s = s.reduce(CheckAction::Sim(
            SimField::RoleArn,
            "arn:aws:iam::999999999999:role/app".into(),
        ));
        let sim = &s.simulations[0].simulation;
        assert_eq!(sim.decision, irsa_core::eval::Decision::Deny);
        assert_eq!(sim.results[0].evaluation.foreign.len(), 1);
        // Options core refuses are shown, not guessed around.
        let s = s
            .reduce(CheckAction::Sim(SimField::Account, "123".into()))
            .reduce(CheckAction::Sim(
                SimField::Context,
                "aws:PrincipalAccount=1\nnot a pair".into(),
            ));
        assert!(s.simulations.is_empty());
        assert_eq!(s.sim_problems.len(), 4, "{:?}", s.sim_problems);
        let s = s
            .reduce(CheckAction::Sim(SimField::Account, String::new()))
            .reduce(CheckAction::Sim(SimField::RoleArn, String::new()))
            .reduce(CheckAction::Sim(
                SimField::Context,
                "aws:SourceIp=10.1.2.3".into(),
            ));
        assert!(s.sim_problems.is_empty());
        assert_eq!(s.simulations.len(), 1);
    }

    #[test]
    fn preview_finds_the_service_account_and_workload_files() {
        let s = add(&CheckState::default(), "deployment.yaml", DEPLOYMENT);
        let s = add(&s, "serviceaccount.yaml", SA);
        let p = s.preview.as_ref().unwrap();
        assert_eq!(p.sa_file, "serviceaccount.yaml");
        assert_eq!(p.workload_file, "deployment.yaml");
        let text = p.result.as_ref().unwrap();
        assert!(text.contains("AWS_ROLE_ARN"));
        assert!(text.contains("aws-iam-token"));
        // A wrong explicit choice shows core's findings, not a guess.
        let s = s
            .reduce(CheckAction::SaFile("deployment.yaml".into()))
            .reduce(CheckAction::WorkloadFile("deployment.yaml".into()));
        assert!(s.preview.unwrap().result.is_err());
    }

    #[test]
    fn files_are_replaced_by_name_removed_and_bounded() {
        let s = add(&CheckState::default(), "a.json", TRUST_NO_SUB);
        let s = add(&s, "a.json", "{}");
        assert_eq!(s.files.len(), 1);
        assert_eq!(s.files[0].text, "{}");
        let s = add(&s, "", "x: 1");
        assert_eq!(s.files[1].name, "pasted-2.yaml");
        let s = s.reduce(CheckAction::Remove("a.json".into()));
        assert_eq!(s.files.len(), 1);
        let big = "x".repeat(MAX_FILE_BYTES + 1);
        let s2 = add(&s, "big.yaml", &big);
        assert_eq!(s2.files.len(), 1);
        assert!(s2.notice.as_deref().unwrap().contains("big.yaml"));
        let mut s3 = s.clone();
        for i in 0..MAX_FILES + 2 {
            s3 = add(&s3, &format!("f{i}.yaml"), "x: 1");
        }
        assert_eq!(s3.files.len(), MAX_FILES);
        assert!(s3.notice.is_some());
        let s4 = s3.reduce(CheckAction::Clear);
        assert!(s4.files.is_empty() && s4.diagnostics.is_empty() && s4.preview.is_none());
    }

    #[test]
    fn placeholder_values_fill_check_simulate_and_preview() {
        let template = TRUST_NO_SUB.replace("123456789012", "${ACCOUNT_ID}");
        let s = add(&CheckState::default(), "trust.json.tpl", &template);
        assert!(s.diagnostics.iter().any(|d| d.code == "IRSA405"));
        assert!(s.summary.contains("1 trust policy"), "{}", s.summary);
        let s = s.reduce(CheckAction::Set("ACCOUNT_ID=123456789012\n".into()));
        assert!(s.set_error.is_none());
        assert!(
            !s.diagnostics.iter().any(|d| d.code == "IRSA405"),
            "{:?}",
            s.diagnostics
        );
        assert!(s.diagnostics.iter().any(|d| d.code == "IRSA004"));
        let s = s.reduce(CheckAction::Set("no equals sign".into()));
        assert!(s.set_error.as_deref().unwrap().contains("line 1"));
        let sa = SA.replace("s3-writer", "${SA}");
        let s = add(&CheckState::default(), "serviceaccount.yaml", &sa);
        let s = add(
            &s,
            "deployment.yaml",
            &DEPLOYMENT.replace("s3-writer", "${SA}"),
        );
        let s = s.reduce(CheckAction::Set("SA=s3-writer".into()));
        let text = s.preview.unwrap().result.unwrap();
        assert!(text.contains("AWS_ROLE_ARN") && !text.contains("${SA}"));
    }

    #[test]
    fn selection_out_of_range_is_none() {
        let s = CheckState::default().reduce(CheckAction::Select(Some(3)));
        assert_eq!(s.selected, None);
    }
}
