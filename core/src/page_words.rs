//! The CLI's flags and commands in the playground's words: one table from
//! each `irsa-gen` flag a finding can name to the control of the page that
//! plays its part in each mode (`--issuer`: "Issuer URL" in the Migrate
//! tab), and a few sentences only the CLI can say, said as the page can
//! (`irsa-gen init` prints a starter: the page loads the guide's example).
//!
//! The CLI keeps its own words. The playground passes every finding it shows
//! through [`in_page_words`] for its mode; the spec's keys are
//! [`crate::fields`]' (generate and migrate, whose findings are about the
//! spec), while check mode keeps the checked files' own keys (`sub`,
//! `Principal`): those are the user's files, not our CLI.
//!
//! A flag inside a command the user runs in a terminal (`aws eks ...`,
//! `kubectl ...`, `irsa-gen check ...`) is left as written: it is the
//! command's. Only a bare flag ("pass --issuer") is the page's to say.

use crate::diagnostic::Diagnostic;

/// A mode of the playground: each has its own controls.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// The spec's form and the artefacts.
    Generate,
    /// Check mode: files, placeholder values, simulate, the pod preview.
    Check,
    /// Diagnose mode: an error message, a token, check mode's files.
    Diagnose,
    /// The Migrate tab: from the spec or from a trust policy.
    Migrate,
}

impl Mode {
    /// Every mode.
    pub const ALL: [Mode; 4] = [Mode::Generate, Mode::Check, Mode::Diagnose, Mode::Migrate];
}

/// One flag of `irsa-gen` and what plays its part on the page, per mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Flag {
    /// The flag as the CLI spells it (`--issuer`).
    pub flag: &'static str,
    /// The page's words for it, per mode (a mode not listed has no control
    /// of its own: [`Flag::elsewhere`] says it).
    pub controls: &'static [(Mode, &'static str)],
    /// What the page says in a mode without such a control.
    pub elsewhere: &'static str,
}

use Mode::{Check, Diagnose, Generate, Migrate};

const fn flag(
    flag: &'static str,
    controls: &'static [(Mode, &'static str)],
    elsewhere: &'static str,
) -> Flag {
    Flag {
        flag,
        controls,
        elsewhere,
    }
}

/// Every flag of `irsa-gen` a finding can name, and the page's words for it.
pub const FLAGS: &[Flag] = &[
    // migrate
    flag(
        "--to",
        &[(Migrate, "the Migrate switch (To Pod Identity, To IRSA)")],
        "the Migrate tab's switch",
    ),
    flag(
        "--trust",
        &[
            (Migrate, "the role's file (From a file)"),
            (Check, "the trust policy among the files"),
            (Diagnose, "the trust policy among Check's files"),
        ],
        "the trust policy",
    ),
    flag(
        "--role",
        &[(Migrate, "Role of the file")],
        "the role of the file",
    ),
    flag(
        "--issuer",
        &[(Migrate, "Issuer URL"), (Check, "Simulate's Issuer")],
        "OIDC issuer URL",
    ),
    flag(
        "--cluster-arn",
        &[(Migrate, "Cluster ARN")],
        "the cluster's ARN",
    ),
    flag(
        "--target-role-arn",
        &[(Migrate, "Target role ARN")],
        "the target role's ARN",
    ),
    flag(
        "--source-role-name",
        &[(Migrate, "Source role name")],
        "the source role's name",
    ),
    flag(
        "--source-trust",
        &[(Migrate, "the source role's trust policy")],
        "the source role's trust policy",
    ),
    flag(
        "--output-dir",
        &[(Migrate, "Download all"), (Generate, "Download all")],
        "Download all",
    ),
    flag(
        "--file",
        &[
            (Migrate, "the spec in Generate"),
            (Generate, "the form (or Open a spec file)"),
        ],
        "the spec",
    ),
    // check and simulate
    flag(
        "--set",
        &[
            (Check, "Placeholder values"),
            (Diagnose, "Check's Placeholder values"),
        ],
        "Check's Placeholder values",
    ),
    flag(
        "--set-file",
        &[
            (Check, "Placeholder values"),
            (Diagnose, "Check's Placeholder values"),
        ],
        "Check's Placeholder values",
    ),
    flag(
        "--role-arn",
        &[(Check, "Simulate's Role ARN")],
        "Simulate's Role ARN in Check",
    ),
    flag(
        "--account",
        &[(Check, "Simulate's Role account")],
        "Simulate's Role account in Check",
    ),
    flag(
        "--audience",
        &[(Check, "Simulate's Audience")],
        "Simulate's Audience in Check",
    ),
    flag(
        "--context",
        &[(Check, "Simulate's Context")],
        "Simulate's Context in Check",
    ),
    flag(
        "--namespace",
        &[(Check, "Simulate's Pod namespace")],
        "Simulate's Pod namespace in Check",
    ),
    flag(
        "--service-account",
        &[(Check, "Simulate's Pod service account")],
        "Simulate's Pod service account in Check",
    ),
    flag(
        "--token",
        &[(Diagnose, "The pod's token")],
        "Diagnose's token",
    ),
];

/// The flag of that spelling.
pub fn find_flag(name: &str) -> Option<&'static Flag> {
    FLAGS.iter().find(|f| f.flag == name)
}

impl Flag {
    /// The page's words for the flag in `mode`.
    pub fn words(&self, mode: Mode) -> &'static str {
        self.controls
            .iter()
            .find(|(m, _)| *m == mode)
            .map_or(self.elsewhere, |(_, w)| w)
    }
}

/// A sentence (or part) only the CLI can say, and what the page says instead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Phrase {
    /// The modes it is said in (every mode when empty).
    pub modes: &'static [Mode],
    /// The CLI's words, exactly as core writes them.
    pub cli: &'static str,
    /// The page's.
    pub page: &'static str,
}

const fn phrase(modes: &'static [Mode], cli: &'static str, page: &'static str) -> Phrase {
    Phrase { modes, cli, page }
}

/// What the page offers instead of `irsa-gen init` (the form has every field).
const STARTER: &str = "; \"Load the step-by-step guide's example\" fills in a starter";

/// The CLI's sentences the page says its own way, longest first where one
/// holds another. Each `cli` text is core's, word for word (a test holds
/// them to core's tables, so a changed text does not go unnoticed).
pub const PHRASES: &[Phrase] = &[
    // The spec's loader and validation, on the form.
    phrase(&[], "start from `irsa-gen init`, which prints a commented spec", "start from the step-by-step guide's example (the button under the form) or Clear the form"),
    phrase(&[], "start from `irsa-gen init`", "start from the step-by-step guide's example (the button under the form)"),
    phrase(&[], "(see `irsa-gen init`)", "(the form's field of that name shows it)"),
    phrase(&[], "remove it; `irsa-gen init` lists every field", "remove it; the form has a field for every value it takes"),
    phrase(&[], "Give the field the type the spec expects: `irsa-gen init` prints every field, `irsa-gen schema` the JSON Schema.", "Give the field the type the spec expects: the form's field shows it."),
    phrase(&[], "Set the field; `irsa-gen init` prints a starter spec with every required field.", "Set the field; the form marks every required field."),
    phrase(&[], "; `irsa-gen init` prints a starter", STARTER),
    // accountId's help, whose key becomes the label the sentence goes on to say.
    phrase(&[], "set AWS account ID to your 12-digit AWS account ID", "type your 12-digit AWS account ID"),
    // SPEC066 (Pod Identity across accounts): the chain is planned in the
    // Migrate tab from the role's trust, whose fields are the flags'.
    phrase(
        &[],
        " irsa (IRSA works across accounts) and plan the chain with `irsa-gen migrate --to pod-identity -f spec.yaml`; a chain in place goes back with `irsa-gen migrate --to irsa -f spec.yaml`; for a role you have, `irsa-gen migrate --to pod-identity --trust trust.json --issuer URL --cluster-arn CLUSTER_ARN --target-role-arn ROLE_ARN`",
        " irsa (IRSA works across accounts), then plan the chain in the Migrate tab (To Pod Identity, From a file) with the role's trust.json as the page generates it, the Issuer URL, the Cluster ARN and the role's ARN as Target role ARN; a chain in place goes back the same way with To IRSA",
    ),
    // migrate --trust: the command that plans the chain is the page's fields.
    phrase(
        &[Migrate],
        "Give the role's ARN: `irsa-gen migrate --to pod-identity --trust role.json --issuer URL --cluster-arn ARN --target-role-arn arn:aws:iam::444455556666:role/NAME` plans the chain (MIG034)",
        "Give the role's ARN in Target role ARN (`arn:aws:iam::444455556666:role/NAME`) to plan the chain (MIG034)",
    ),
    phrase(
        &[Migrate],
        "the associations with `--target-role-arn`.",
        "the associations with the target role's ARN.",
    ),
    phrase(
        &[Migrate],
        "give the role's ARN (--target-role-arn) to plan the chain",
        "give the role's ARN in Target role ARN to plan the chain",
    ),
    phrase(
        &[Migrate],
        "plan it without --target-role-arn",
        "plan it with Target role ARN left empty",
    ),
    phrase(
        &[Migrate],
        "run `irsa-gen migrate` for each other cluster when its turn comes",
        "plan each other cluster's move here when its turn comes",
    ),
    // migrate --trust from Terraform, CloudFormation and dumps (MIG060,
    // MIG061): the Migrate tab takes the file and picks the role; the
    // other tabs send the user to the CLI.
    phrase(
        &[Migrate],
        "then `--trust role.json`)",
        "then drop or paste role.json here)",
    ),
    phrase(
        &[Migrate],
        "or leave `--role` out to plan every role of this cluster",
        "or pick \"Every role this move concerns\" in Role of the file to plan every role of this cluster",
    ),
    phrase(
        &[Migrate],
        "give --role NAME",
        "pick one in Role of the file",
    ),
    phrase(
        &[],
        "then `--trust role.json`)",
        "then its `Role.AssumeRolePolicyDocument` as the trust policy)",
    ),
    phrase(
        &[],
        "or leave `--role` out to plan every role of this cluster",
        "or plan every role of this cluster: `irsa-gen migrate --trust FILE` with no role named",
    ),
    // check: the placeholder values and the Helm templates.
    phrase(
        &[],
        "with --set NAME=VALUE to check the real values",
        "in Check's Placeholder values (NAME=VALUE, one a line) to check the real values",
    ),
    phrase(
        &[],
        "Fill the placeholders: irsa-gen check --set NAME=VALUE FILE (or --set-file values.env).",
        "Fill the placeholders in Check's Placeholder values (NAME=VALUE, one a line).",
    ),
    phrase(
        &[],
        "Fill them to check the real values: irsa-gen check --set ACCOUNT_ID=111122223333 --set OIDC_PROVIDER=oidc.eks... FILE (or --set-file values.env).",
        "Fill them in Check's Placeholder values to check the real values: ACCOUNT_ID=111122223333, OIDC_PROVIDER=oidc.eks..., one a line.",
    ),
    phrase(
        &[],
        "--set {} fills no placeholder of the input",
        "the placeholder value `{}` (Check's Placeholder values) fills no placeholder of the files",
    ),
    // check's pod preview and simulate: their own controls.
    phrase(
        &[],
        "--compose-role-arn: the webhook completes",
        "composing role ARNs (the webhook's compose-role-arn setting), the webhook completes",
    ),
    phrase(
        &[],
        "Pass the right file: a ServiceAccount to --service-account, a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob as the workload.",
        "Pick the right files under \"The pod as EKS admits it\": a ServiceAccount in ServiceAccount from, a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob in Workload from.",
    ),
    phrase(
        &[],
        "Pass --role-arn arn:PARTITION:iam::ACCOUNT:role/NAME (or --account ACCOUNT) and --context only for caller-only keys.",
        "Give Simulate's Role ARN (arn:PARTITION:iam::ACCOUNT:role/NAME) or its Role account, and only caller-only keys under its Context.",
    ),
    // The permissions evaluator is the CLI's only: its command, whole.
    phrase(
        &[],
        "Pass the action the SDK called and the resource of the error message: --action s3:PutObject --resource arn:aws:s3:::bucket/key.",
        "Give the action the SDK called and the resource of the error message: `irsa-gen simulate --policy POLICY --action s3:PutObject --resource arn:aws:s3:::bucket/key`.",
    ),
    phrase(
        &[Check, Diagnose],
        "Render it and check the output: helm template RELEASE CHART | irsa-gen check -",
        "Render it (`helm template RELEASE CHART`) and add the output as a file.",
    ),
    phrase(
        &[Check, Diagnose],
        "render it and check the output (helm template RELEASE CHART | irsa-gen check -)",
        "render it (`helm template RELEASE CHART`) and add the output as a file",
    ),
    phrase(
        &[],
        "raise --max-file-size for a genuinely large file",
        "check a genuinely large file with the CLI (`irsa-gen check --max-file-size BYTES FILE`)",
    ),
    // diagnose: the list of messages is on the page.
    phrase(
        &[],
        "(`irsa-gen diagnose --list`)",
        "(the list below)",
    ),
];

/// `text` in the page's words for `mode`: the CLI's sentences said as the
/// page can, then each bare flag as the control that plays its part.
pub fn say(text: &str, mode: Mode) -> String {
    let mut out = text.to_string();
    for p in PHRASES {
        if p.modes.is_empty() || p.modes.contains(&mode) {
            out = replace(&out, p.cli, p.page);
        }
    }
    flags_in_words(&out, mode)
}

/// `text` with each `cli` as `page`; a `{}` in `cli` stands for one word
/// (no space) of the text, which `{}` in `page` says again
/// (`--set {} fills no placeholder`).
fn replace(text: &str, cli: &str, page: &str) -> String {
    let Some((pre, post)) = cli.split_once("{}") else {
        return text.replace(cli, page);
    };
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(pre) {
        let after = rest.get(at + pre.len()..).unwrap_or("");
        let word_len = after.find(char::is_whitespace).unwrap_or(after.len());
        let (word, tail) = after.split_at(word_len);
        match tail.strip_prefix(post).filter(|_| !word.is_empty()) {
            Some(tail) => {
                out.push_str(rest.get(..at).unwrap_or(""));
                out.push_str(&page.replace("{}", word));
                rest = tail;
            }
            None => {
                out.push_str(rest.get(..at + pre.len()).unwrap_or(""));
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// A finding in the page's words for `mode` (message, fix and what fails at
/// runtime; the code, place and severity as they are).
pub fn in_page_words(d: &Diagnostic, mode: Mode) -> Diagnostic {
    Diagnostic {
        message: say(&d.message, mode),
        help: say(&d.help, mode),
        failure: d.failure.as_deref().map(|f| say(f, mode)),
        ..d.clone()
    }
}

/// The words that start a command the user runs in a terminal.
const COMMANDS: &[&str] = &[
    "aws",
    "kubectl",
    "eksctl",
    "irsa-gen",
    "helm",
    "terraform",
    "curl",
];

/// Words that may come before a command in a sentence (`or eksctl ...`).
const LEADS: &[&str] = &["or", "and", "run", "e.g.", "with", "then", "try"];

/// One flag found in a text: where it is and how it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundFlag {
    /// Byte offset of its `--`.
    pub at: usize,
    /// The flag (`--issuer`).
    pub flag: String,
    /// Whether it is part of a command (`aws eks ... --cluster-name`).
    pub in_command: bool,
}

/// Every `--flag` of `text`, each said to be in a command or bare.
pub fn flags(text: &str) -> Vec<FoundFlag> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(pos) = text.get(i..).and_then(|t| t.find("--")) {
        let at = i + pos;
        let before = at.checked_sub(1).and_then(|b| bytes.get(b)).copied();
        let glued = before.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'-');
        let name_len = text.get(at + 2..).map_or(0, |t| {
            t.find(|c: char| !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'))
                .unwrap_or(t.len())
        });
        let starts_letter = bytes.get(at + 2).is_some_and(u8::is_ascii_lowercase);
        if !glued && starts_letter {
            let flag = text
                .get(at..at + 2 + name_len)
                .unwrap_or("")
                .trim_end_matches('-');
            out.push(FoundFlag {
                at,
                flag: flag.to_string(),
                in_command: in_command(text, at),
            });
        }
        i = at + 2 + name_len;
    }
    out
}

/// Flags of AWS's commands that a sentence names alone, between backticks
/// (`` with `--disable-session-tags` ``): the command's, which the user
/// types in a terminal, never a control of the page nor a flag of ours.
pub const AWS_FLAGS: &[&str] = &[
    "--disable-session-tags",
    "--pod-identity-associations",
    "--service-account-role-arn",
];

/// The flags `text` tells the user to pass outside any command (AWS's own
/// [`AWS_FLAGS`] in backticks aside): what the page must never say.
pub fn bare_flags(text: &str) -> Vec<String> {
    flags(text)
        .into_iter()
        .filter(|f| {
            let end = f.at + f.flag.len();
            let quoted = text.get(..f.at).is_some_and(|b| b.ends_with('`'))
                && text.get(end..).is_some_and(|a| a.starts_with(['`', ' ']));
            !(f.in_command || (quoted && AWS_FLAGS.contains(&f.flag.as_str())))
        })
        .map(|f| f.flag)
        .collect()
}

/// Whether the flag at `at` belongs to a command: the clause it is in (from
/// its code span's backtick, a parenthesis, or a `:`/`;`/`.` ending the
/// sentence before) starts with a command's word.
fn in_command(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let ticks = before.matches('`').count();
    let start = if ticks % 2 == 1 {
        before.rfind('`').map_or(0, |i| i + 1)
    } else {
        [
            before.rfind('(').map(|i| i + 1),
            before.rfind(": ").map(|i| i + 2),
            before.rfind("; ").map(|i| i + 2),
            before.rfind(", ").map(|i| i + 2),
            before.rfind(". ").map(|i| i + 2),
            before.rfind('\n').map(|i| i + 1),
        ]
        .into_iter()
        .flatten()
        .max()
        .unwrap_or(0)
    };
    let clause = before.get(start..).unwrap_or("");
    let mut words = clause.split_whitespace().skip_while(|w| LEADS.contains(w));
    words
        .next()
        .is_some_and(|w| COMMANDS.contains(&w.trim_start_matches('`')))
}

/// Each bare flag of the table as the words of `mode` (a flag alone in a
/// code span loses its backticks with it).
fn flags_in_words(text: &str, mode: Mode) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for f in flags(text) {
        let Some(known) = find_flag(&f.flag).filter(|_| !f.in_command) else {
            continue;
        };
        let end = f.at + f.flag.len();
        let quoted = text.get(..f.at).is_some_and(|b| b.ends_with('`'))
            && text.get(end..).is_some_and(|a| a.starts_with('`'));
        let (from, to) = if quoted {
            (f.at - 1, end + 1)
        } else {
            (f.at, end)
        };
        if from < last {
            continue;
        }
        out.push_str(text.get(last..from).unwrap_or(""));
        out.push_str(known.words(mode));
        last = to;
    }
    out.push_str(text.get(last..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_flag_is_the_modes_control() {
        assert_eq!(
            say("the trust names no provider of --issuer", Migrate),
            "the trust names no provider of Issuer URL"
        );
        assert_eq!(
            say("name the source role with `--source-role-name`.", Migrate),
            "name the source role with Source role name."
        );
        assert_eq!(
            say("values given with --set are used", Check),
            "values given with Placeholder values are used"
        );
        // A mode without the control says where it is.
        assert_eq!(
            say("give --role-arn", Diagnose),
            "give Simulate's Role ARN in Check"
        );
    }

    #[test]
    fn flags_of_commands_stay_the_commands() {
        for text in [
            "run `aws eks describe-cluster --name prod --query cluster.identity.oidc.issuer`",
            "Create it: aws iam create-open-id-connect-provider --url X --client-id-list sts.amazonaws.com (or eksctl utils associate-iam-oidc-provider --cluster C --approve).",
            "confirm with `irsa-gen check trust.json --set ACCOUNT=1`",
            "kubectl create token NAME -n NS --audience sts.amazonaws.com",
        ] {
            assert_eq!(say(text, Check), text);
            assert!(bare_flags(text).is_empty(), "{text}");
        }
        // Near misses: the same flags outside a command.
        assert_eq!(bare_flags("pass --set ACCOUNT=1"), ["--set"]);
        assert_eq!(
            bare_flags("irsa-gen did not create it: name another with --source-role-name"),
            ["--source-role-name"]
        );
        // Not a flag: a word with dashes, an AWS flag named in backticks.
        assert!(bare_flags("a--b and `--disable-session-tags`").is_empty());
        assert_eq!(
            bare_flags("pass --disable-session-tags"),
            ["--disable-session-tags"]
        );
    }

    #[test]
    fn the_clis_sentences_are_the_pages() {
        assert_eq!(
            say("set AWS account ID to your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)", Generate),
            "type your 12-digit AWS account ID (`aws sts get-caller-identity --query Account`)"
        );
        assert!(!say(
            "set at least accountId; `irsa-gen init` prints a starter",
            Generate
        )
        .contains("irsa-gen init"));
    }

    /// Every phrase is core's, word for word: a text changed in core shows
    /// here, not as a CLI sentence left on the page.
    #[test]
    fn every_phrase_is_still_cores() {
        let mut texts: Vec<String> = Vec::new();
        for r in crate::migrate::codes::MIG_CODES
            .iter()
            .chain(crate::validate::codes::SPEC_CODES)
            .chain(crate::rules::RULES)
        {
            texts.push(r.fix.to_string());
        }
        let sources = [
            include_str!("validate/spec_level.rs"),
            include_str!("validate/load.rs"),
            include_str!("migrate/from_trust.rs"),
            include_str!("migrate/chain.rs"),
            include_str!("migrate/from_file.rs"),
            include_str!("diagnose/mod.rs"),
            include_str!("check/reading.rs"),
            include_str!("placeholder.rs"),
            include_str!("inject/settings.rs"),
        ];
        texts.extend(sources.iter().map(|s| s.to_string()));
        // The spec's texts as the form has them: its keys as labels.
        texts.extend(
            sources
                .iter()
                .map(|s| s.replace("accountId", "AWS account ID")),
        );
        for p in PHRASES {
            let cli = p.cli.replace("{}", "{name}");
            assert!(
                texts.iter().any(|t| t.contains(&cli)) || texts.iter().any(|t| t.contains(p.cli)),
                "no text of core says {:?}",
                p.cli
            );
        }
    }

    /// Every fix of every table (the checker's, migrate's, the spec's,
    /// diagnose's), said in any mode, tells of no bare flag; the CLI's
    /// fixes do (so this can fail).
    #[test]
    fn no_fix_is_a_bare_flag_on_the_page() {
        let mut fixes: Vec<&str> = crate::rules::RULES
            .iter()
            .chain(crate::migrate::codes::MIG_CODES)
            .chain(crate::validate::codes::SPEC_CODES)
            .map(|r| r.fix)
            .collect();
        fixes.extend(crate::diagnose::catalogue::MESSAGES.iter().flat_map(|m| {
            std::iter::once(m.fix)
                .chain(std::iter::once(m.meaning))
                .chain(m.causes.iter().copied())
        }));
        assert!(fixes.iter().filter(|f| !bare_flags(f).is_empty()).count() > 5);
        for mode in Mode::ALL {
            for f in &fixes {
                let said = say(f, mode);
                assert!(bare_flags(&said).is_empty(), "{mode:?}: {said}");
                assert!(!said.contains("irsa-gen init"), "{mode:?}: {said}");
            }
        }
    }

    #[test]
    fn every_flag_has_words_in_every_mode() {
        for f in FLAGS {
            assert!(f.flag.starts_with("--"));
            for m in Mode::ALL {
                assert!(!f.words(m).contains("--"), "{} in {m:?}", f.flag);
            }
        }
    }
}
