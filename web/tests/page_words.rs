//! Every message the playground shows is in the page's words: every MIG
//! fixture (`tests/fixtures/migrate/`) planned in the Migrate tab, every
//! check fixture in check mode and every diagnose fixture in diagnose mode
//! goes through the page's state, and no text it shows tells the user to
//! pass a bare `irsa-gen` flag or names the spec by a camelCase key. The
//! CLI's texts for the same inputs do (so the test can fail).

// Helpers of a test: a panic here is a failed test.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use irsa_core::check::{check_report, CheckOptions, SourceFile};
use irsa_core::diagnose::{self, Request};
use irsa_core::migrate::chain::{self, ChainRequest};
use irsa_core::migrate::codes::MIG_CODES;
use irsa_core::migrate::Direction;
use irsa_core::migrate::{self as core_migrate, chain_back, from_trust, to_irsa_trust, workloads};
use irsa_core::page_words::bare_flags;
use irsa_core::Diagnostic;
use irsa_web::check::{CheckAction, CheckState};
use irsa_web::diagnose::{DiagnoseAction, DiagnoseState};
use irsa_web::migrate::{self, Outcome, TrustInput};

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/fixtures");
const ISSUER: &str = "https://oidc.eks.us-west-2.amazonaws.com/id/5C5B1A2B3C4D5E6F7A8B9C0D1E2F3A4B";
const CLUSTER_ARN: &str = "arn:aws:eks:us-west-2:111122223333:cluster/prod";
const CHINA_ARN: &str = "arn:aws-cn:eks:cn-north-1:111122223333:cluster/prod";

fn dirs(at: &Path) -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(at)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn files(dir: &Path) -> Vec<SourceFile> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<SourceFile> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .filter_map(|p| {
            Some(SourceFile {
                name: p.file_name()?.to_string_lossy().into_owned(),
                text: std::fs::read_to_string(&p).ok()?,
            })
        })
        .collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

/// The texts of findings, as shown: message, fix, what fails at runtime.
fn texts(diagnostics: &[Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .flat_map(|d| {
            [d.message.clone(), d.help.clone()]
                .into_iter()
                .chain(d.failure.clone())
        })
        .collect()
}

/// What one input shows on the page and what the CLI says for it.
#[derive(Default)]
struct Said {
    page: Vec<(String, String)>,
    cli: Vec<String>,
    codes: BTreeSet<String>,
}

impl Said {
    fn page(&mut self, at: &str, diagnostics: &[Diagnostic]) {
        self.codes
            .extend(diagnostics.iter().map(|d| d.code.clone()));
        self.page
            .extend(texts(diagnostics).into_iter().map(|t| (at.to_string(), t)));
    }
}

fn outcome_diagnostics(o: &Outcome) -> Vec<Diagnostic> {
    match o {
        Outcome::Blocked(d) | Outcome::Planned { diagnostics: d, .. } => d.clone(),
        _ => Vec::new(),
    }
}

fn direction(to: &str) -> Direction {
    if to.trim() == "irsa" {
        Direction::ToIrsa
    } else {
        Direction::ToPodIdentity
    }
}

/// The Migrate tab from the spec: each fixture's spec opened into the form,
/// its workloads as check mode's files.
fn migrate_from_specs(said: &mut Said) {
    for dir in dirs(&Path::new(FIXTURES).join("migrate")) {
        let Ok(text) = std::fs::read_to_string(dir.join("spec.yaml")) else {
            continue;
        };
        let at = dir.display().to_string();
        let to = direction(&read(&dir.join("to")));
        let workloads_text = read(&dir.join("workloads.yaml"));
        let files: Vec<SourceFile> = (!workloads_text.is_empty())
            .then(|| SourceFile {
                name: "workloads.yaml".into(),
                text: workloads_text.clone(),
            })
            .into_iter()
            .collect();
        let (spec, _) = irsa_core::validate::read_spec(&text).unwrap();
        let (form, _) = irsa_web::spec_form::form_of(&spec);
        let m = migrate::plan(&form, to, &files);
        said.page(&at, &outcome_diagnostics(&m.outcome));
        // The CLI: `migrate --to TO -f spec.yaml workloads.yaml`.
        let valid = irsa_core::validate::load_spec(&text, Some("spec.yaml"))
            .spec
            .unwrap();
        let found = if workloads_text.is_empty() {
            Vec::new()
        } else {
            workloads::read("workloads.yaml", &workloads_text).unwrap()
        };
        let plan = core_migrate::plan(&valid, to, &found).unwrap();
        said.cli.extend(texts(&plan.diagnostics));
    }
}

fn arg_after(args: &str, flag: &str) -> Option<String> {
    let mut lines = args.lines();
    lines.find(|l| l.trim() == flag)?;
    lines.next().map(|l| l.trim().to_string())
}

/// The Migrate tab from a trust: every trust fixture with the inputs its
/// `args` name, with and without the cluster's ARN, and in China.
fn migrate_from_trusts(said: &mut Said) {
    let root = Path::new(FIXTURES).join("migrate");
    for folder in [
        "from-trust",
        "from-trust-back",
        "cross-account",
        "cross-account-back",
    ] {
        let to = if folder.ends_with("-back") {
            Direction::ToIrsa
        } else {
            Direction::ToPodIdentity
        };
        for dir in dirs(&root.join(folder)) {
            let at = dir.display().to_string();
            let trust = read(&dir.join("trust.json"));
            let source_trust = read(&dir.join("source-trust.json"));
            let args = read(&dir.join("args"));
            let target = arg_after(&args, "--target-role-arn").unwrap_or_default();
            let source_name = arg_after(&args, "--source-role-name");
            for cluster in [CLUSTER_ARN, "", CHINA_ARN] {
                let input = TrustInput {
                    trust: trust.clone(),
                    issuer: ISSUER.into(),
                    cluster_arn: cluster.into(),
                    target_role_arn: target.clone(),
                    source_role_name: source_name.clone().unwrap_or_default(),
                    source_trust: source_trust.clone(),
                    ..TrustInput::default()
                };
                let m = migrate::plan_trust(to, &input);
                if let Outcome::Needs(what) = &m.outcome {
                    said.page.push((at.clone(), (*what).to_string()));
                }
                said.page(&at, &outcome_diagnostics(&m.outcome));
                // The CLI's calls for the same flags.
                let cluster = Some(cluster).filter(|c| !c.is_empty());
                let diagnostics = match (target.is_empty(), to, cluster) {
                    (true, Direction::ToPodIdentity, arn) => {
                        from_trust::plan_trust(&trust, ISSUER, arn).diagnostics
                    }
                    (true, Direction::ToIrsa, Some(arn)) => {
                        to_irsa_trust::plan_trust(&trust, ISSUER, arn).diagnostics
                    }
                    (false, _, Some(arn)) => {
                        let req = ChainRequest {
                            issuer: ISSUER,
                            cluster_arn: arn,
                            target_role_arn: &target,
                            source_role_name: source_name.as_deref(),
                        };
                        match to {
                            Direction::ToPodIdentity => {
                                chain::plan_chained(&trust, &req).diagnostics
                            }
                            Direction::ToIrsa => {
                                chain_back::plan_chained_back(&trust, &source_trust, &req)
                                    .diagnostics
                            }
                        }
                    }
                    _ => Vec::new(),
                };
                said.cli.extend(texts(&diagnostics));
            }
        }
    }
}

/// The Migrate tab from a file (`tests/fixtures/migrate-from-file/`: a
/// Terraform file, a template, a dump), named as dropped, with the role and
/// direction its `args` name, with and without the cluster's ARN.
fn migrate_from_files(said: &mut Said) {
    for dir in dirs(&Path::new(FIXTURES).join("migrate-from-file")) {
        let at = dir.display().to_string();
        let args = read(&dir.join("args"));
        let to = direction(&arg_after(&args, "--to").unwrap_or_default());
        let role = arg_after(&args, "--role").unwrap_or_default();
        let file = files(&dir).into_iter().find(|f| f.name != "args").unwrap();
        for cluster in [CLUSTER_ARN, ""] {
            let input = TrustInput {
                trust: file.text.clone(),
                name: file.name.clone(),
                role: role.clone(),
                issuer: ISSUER.into(),
                cluster_arn: cluster.into(),
                ..TrustInput::default()
            };
            let m = migrate::plan_trust(to, &input);
            if let Outcome::Needs(what) = &m.outcome {
                said.page.push((at.clone(), (*what).to_string()));
            }
            said.page(&at, &outcome_diagnostics(&m.outcome));
            let req = core_migrate::from_file::Request {
                direction: to,
                issuer: ISSUER,
                cluster_arn: Some(cluster).filter(|c| !c.is_empty()),
                role: Some(role.as_str()).filter(|r| !r.is_empty()),
            };
            let plan = core_migrate::from_file::plan_file(&file.name, &file.text, &req);
            said.cli.extend(texts(&plan.diagnostics));
        }
    }
}

/// Check mode: each check fixture's files added as a user adds them.
fn check_fixtures(said: &mut Said) {
    for dir in dirs(&Path::new(FIXTURES).join("check")) {
        let files = files(&dir);
        if files.len() > irsa_web::check::MAX_FILES
            || files
                .iter()
                .any(|f| f.text.len() > irsa_web::check::MAX_FILE_BYTES)
        {
            continue;
        }
        let at = dir.display().to_string();
        let mut s = CheckState::default();
        for f in &files {
            s = s.reduce(CheckAction::Add {
                name: f.name.clone(),
                text: f.text.clone(),
            });
        }
        said.page(&at, &s.diagnostics);
        if let Some(Err(d)) = s.preview.as_ref().map(|p| &p.result) {
            said.page(&at, d);
        }
        let report = check_report(&files, &CheckOptions::default());
        said.cli.extend(texts(&report.diagnostics));
        // A placeholder value that fills nothing (IRSA409), as typed and as `--set`.
        let s = s.reduce(CheckAction::Set("UNUSED_NAME=1".into()));
        said.page(&at, &s.diagnostics);
        let mut set = irsa_core::placeholder::Values::new();
        set.insert("UNUSED_NAME".into(), "1".into());
        let options = CheckOptions {
            set,
            ..CheckOptions::default()
        };
        said.cli
            .extend(texts(&check_report(&files, &options).diagnostics));
    }
}

/// Diagnose mode: each fixture's messages against its files.
fn diagnose_fixtures(said: &mut Said) {
    for dir in dirs(&Path::new(FIXTURES).join("diagnose")) {
        let files = files(&dir.join("files"));
        let token = read(&dir.join("token.jwt"));
        let at = dir.display().to_string();
        let mut messages: Vec<PathBuf> = std::fs::read_dir(dir.join("messages"))
            .map(|r| r.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        messages.sort();
        for m in messages {
            let text = read(&m);
            let now = Some(1_733_109_000);
            let s = DiagnoseState::default()
                .reduce(
                    DiagnoseAction::Token {
                        text: token.clone(),
                        now,
                    },
                    &files,
                )
                .reduce(
                    DiagnoseAction::Message {
                        text: text.clone(),
                        now,
                    },
                    &files,
                );
            let a = s.answer.unwrap();
            said.page(&at, &a.evidence);
            said.page.extend(
                a.fix
                    .iter()
                    .chain(&a.facts)
                    .map(|t| (at.clone(), t.clone())),
            );
            let token = token.trim();
            let cli = diagnose::diagnose(&Request {
                message: &text,
                files: &files,
                token: (!token.is_empty()).then_some(token),
                now,
                options: &CheckOptions::default(),
            });
            said.cli.extend(texts(&cli.evidence));
            said.cli.extend(cli.fix.iter().chain(&cli.facts).cloned());
        }
    }
    // What the page says of each message it knows (diagnose_view.rs).
    for m in irsa_core::diagnose::catalogue::MESSAGES {
        for text in std::iter::once(m.meaning).chain(m.causes.iter().copied()) {
            said.page
                .push((m.code.to_string(), irsa_web::diagnose::said(text)));
        }
    }
}

/// The spec's camelCase keys (`clusterName`) a text names as words, outside
/// the code spans of commands and values (`serviceAccount=SA` is AWS's).
fn spec_keys(text: &str) -> Vec<&'static str> {
    let prose: String = text
        .split('`')
        .enumerate()
        .filter(|(i, span)| i % 2 == 0 || !span.contains(' '))
        .map(|(_, span)| span)
        .collect::<Vec<_>>()
        .join(" ");
    let text = prose.as_str();
    irsa_core::fields::FIELDS
        .iter()
        .map(|f| {
            f.path
                .rsplit('.')
                .next()
                .unwrap_or(f.path)
                .trim_end_matches("[]")
        })
        .filter(|k| k.contains(|c: char| c.is_ascii_uppercase()))
        .filter(|k| {
            text.match_indices(k).any(|(i, _)| {
                let before = text[..i].chars().next_back();
                let after = text[i + k.len()..].chars().next();
                !before.is_some_and(|c| c.is_ascii_alphanumeric())
                    && !after.is_some_and(|c| c.is_ascii_alphanumeric())
            })
        })
        .collect()
}

fn assert_in_page_words(mode: &str, said: &Said, keys_too: bool) {
    let mut wrong = Vec::new();
    for (at, text) in &said.page {
        let flags = bare_flags(text);
        let keys = if keys_too {
            spec_keys(text)
        } else {
            Vec::new()
        };
        if !flags.is_empty() || !keys.is_empty() {
            wrong.push(format!("{at}: {flags:?} {keys:?} in {text:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "{mode}: CLI words on the page:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_migrate_tab_says_its_own_controls_for_every_mig_code() {
    let mut spec = Said::default();
    migrate_from_specs(&mut spec);
    let mut trust = Said::default();
    migrate_from_trusts(&mut trust);
    migrate_from_files(&mut trust);
    assert_in_page_words("migrate from the spec", &spec, true);
    assert_in_page_words("migrate from a trust", &trust, false);
    // The CLI names its flags and the spec's keys for the same inputs.
    assert!(spec.cli.iter().any(|t| !spec_keys(t).is_empty()));
    assert!(trust.cli.iter().any(|t| !bare_flags(t).is_empty()));
    let seen: BTreeSet<&String> = spec.codes.iter().chain(&trust.codes).collect();
    let unseen: Vec<&str> = MIG_CODES
        .iter()
        .map(|r| r.code)
        .filter(|c| !seen.contains(&c.to_string()))
        .collect();
    assert!(
        unseen.is_empty(),
        "no fixture shows {unseen:?} in the Migrate tab"
    );
}

#[test]
fn check_and_diagnose_never_say_a_bare_flag() {
    let mut check = Said::default();
    check_fixtures(&mut check);
    assert_in_page_words("check", &check, false);
    assert!(
        check.codes.contains("IRSA409"),
        "a placeholder value that fills nothing"
    );
    assert!(check.cli.iter().any(|t| !bare_flags(t).is_empty()));
    let mut diag = Said::default();
    diagnose_fixtures(&mut diag);
    // (The diagnose fixtures' own texts name no bare flag in the CLI
    // either: check's placeholder findings, above, are its evidence too.)
    assert_in_page_words("diagnose", &diag, false);
}

/// The form: every spec fixture opened, and its findings as the form says
/// them, tell of no command the page does not have (`irsa-gen init`) and no
/// bare flag; the CLI's do name `irsa-gen init`.
#[test]
fn the_form_says_what_the_page_offers() {
    use irsa_web::state::{Action, State};
    let mut page = Vec::new();
    let mut cli = Vec::new();
    for dir in dirs(&Path::new(FIXTURES).join("spec")) {
        for name in ["spec.yaml", "spec.json", "spec.yml"] {
            let Ok(text) = std::fs::read_to_string(dir.join(name)) else {
                continue;
            };
            let opened = State::default().reduce(Action::OpenSpec(text.clone()));
            page.extend(texts(&opened.derived.diagnostics));
            page.extend(opened.opened.iter().flat_map(|o| texts(&o.problems)));
            let loaded = irsa_core::load_spec(&text, Some(name));
            let shown: Vec<Diagnostic> = loaded
                .diagnostics
                .iter()
                .map(irsa_core::fields::in_words)
                .collect();
            page.extend(texts(&shown));
            cli.extend(texts(&loaded.diagnostics));
        }
    }
    let wrong: Vec<&String> = page
        .iter()
        .filter(|t| t.contains("irsa-gen init") || !bare_flags(t).is_empty())
        .collect();
    assert!(wrong.is_empty(), "{wrong:#?}");
    assert!(cli.iter().any(|t| t.contains("irsa-gen init")));
}
