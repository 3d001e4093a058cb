//! A plan's phase files from the file the user has (`migrate --trust FILE`):
//! a bare trust, a dump, a Terraform file or a CloudFormation template
//! (`sources.rs`), each role of this cluster planned by `from_trust.rs` or
//! `to_irsa_trust.rs` (one with `--role`), the phase files in the file's own
//! format (`iac_edit.rs`) with the phase's apply step: `terraform apply`,
//! `aws cloudformation deploy`, `aws iam update-assume-role-policy`. A
//! trust the plan cannot read (MIG060) or a role it cannot pick (MIG061)
//! makes no files.

use serde_json::Value;

use crate::diagnostic::{has_errors, Diagnostic};
use crate::formats::shell::{quote, Script};

use super::codes::diagnostic;
use super::direction::Direction;
use super::plan::PlanFile;
use super::sources::{self, Found, Kind, Source};
use super::unresolved::unresolved;

/// What the plan is asked.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// Where the roles go.
    pub direction: Direction,
    /// The OIDC issuer URL of the cluster that moves.
    pub issuer: &'a str,
    /// The cluster's ARN (needed going back to IRSA).
    pub cluster_arn: Option<&'a str>,
    /// One role to plan (`--role`), by any of its names.
    pub role: Option<&'a str>,
}

/// The plan of a file: its findings and, when none is an error, its phase files.
#[derive(Debug, Clone, Default)]
pub struct FilePlan {
    /// Every finding, in the file.
    pub diagnostics: Vec<Diagnostic>,
    /// The phase files (none when the plan is blocked).
    pub files: Vec<PlanFile>,
    /// The roles planned.
    pub roles: Vec<String>,
}

/// The plan of `text` (named `name`) for `req`.
pub fn plan_file(name: &str, text: &str, req: &Request<'_>) -> FilePlan {
    let source = sources::read(name, text);
    let mut out = FilePlan {
        diagnostics: source.diagnostics.clone(),
        ..FilePlan::default()
    };
    let chosen = match select(&source, req) {
        Ok((chosen, note)) => {
            out.diagnostics.extend(note);
            chosen
        }
        Err(d) => {
            out.diagnostics.push(*d);
            Vec::new()
        }
    };
    let mut planned: Vec<(&Found, Value, Value)> = Vec::new();
    for found in chosen {
        let (diagnostics, phases) = plan_role(found, text, source.kind, req);
        out.diagnostics.extend(diagnostics);
        if let Some((both, end)) = phases {
            planned.push((found, both, end));
        }
    }
    out.diagnostics = out
        .diagnostics
        .into_iter()
        .map(|d| d.in_file(Some(name)))
        .collect();
    if has_errors(&out.diagnostics) || planned.is_empty() {
        return out;
    }
    out.roles = planned.iter().map(|(f, _, _)| f.role.clone()).collect();
    match files(name, text, source.kind, req.direction, &planned) {
        Ok(files) => out.files = files,
        Err(d) => out.diagnostics.push(d.in_file(Some(name))),
    }
    out
}

/// One role's trust of a file as JSON text, for the plans that take a
/// trust text (role chaining): a bare trust as it is, else the one role
/// this move concerns (or `--role`'s) when the plan can read it.
pub fn trust_text(name: &str, text: &str, req: &Request<'_>) -> Result<String, Vec<Diagnostic>> {
    let source = sources::read(name, text);
    let located = |d: Vec<Diagnostic>| {
        d.into_iter()
            .map(|d| d.in_file(Some(name)))
            .collect::<Vec<_>>()
    };
    if source.kind == Kind::Trust {
        return Ok(text.to_string());
    }
    let chosen = match select(&source, req) {
        Ok((chosen, _)) => chosen,
        Err(d) => return Err(located(vec![*d])),
    };
    match chosen.as_slice() {
        [one] => match unresolved(&one.trust).as_slice() {
            [] => Ok(one.text()),
            computed => Err(located(vec![diagnostic("MIG060", format!(
                "`{}`: the trust has values its tool computes where the plan reads which cluster and ServiceAccounts it admits ({}): no plan is made from a guess",
                one.role,
                computed.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            )).at(one.at)])),
        },
        [] => Err(located(source.diagnostics)),
        several => Err(located(vec![diagnostic("MIG061", format!(
            "role chaining plans one role, and the file has {} of this cluster ({}): give --role NAME",
            several.len(),
            several.iter().map(|f| format!("`{}`", f.role)).collect::<Vec<_>>().join(", ")
        ))])),
    }
}

/// The roles to plan: `--role`'s, else those that concern this move (the
/// others said, MIG062), else all (each then says why it is not this
/// cluster's).
fn select<'s>(
    source: &'s Source,
    req: &Request<'_>,
) -> Result<(Vec<&'s Found>, Option<Diagnostic>), Box<Diagnostic>> {
    let all: Vec<&Found> = source.found.iter().collect();
    let list = |roles: &[&Found]| {
        roles
            .iter()
            .map(|f| format!("`{}`", f.role))
            .collect::<Vec<_>>()
            .join(", ")
    };
    if source.kind == Kind::Trust {
        return Ok((all, None));
    }
    if let Some(name) = req.role {
        let picked: Vec<&Found> = all
            .iter()
            .copied()
            .filter(|f| f.role == name || f.names.iter().any(|n| n == name))
            .collect();
        return match picked.as_slice() {
            [_] => Ok((picked, None)),
            [] if all.is_empty() => fail(diagnostic(
                "MIG061",
                format!("--role `{name}`: the file has no role trust migrate reads"),
            )),
            [] => fail(diagnostic(
                "MIG061",
                format!(
                    "no role of the file is named `{name}`; it has {}",
                    list(&all)
                ),
            )),
            several => fail(diagnostic(
                "MIG061",
                format!(
                    "`{name}` names {} roles ({}): give one's own name",
                    several.len(),
                    list(several)
                ),
            )),
        };
    }
    if all.is_empty() {
        return match source.diagnostics.is_empty() {
            true => fail(diagnostic(
                "MIG061",
                "the file has no role trust migrate reads (an aws_iam_role, an AWS::IAM::Role, a get-role dump)",
            )),
            false => Ok((all, None)),
        };
    }
    let (concerned, others): (Vec<&Found>, Vec<&Found>) =
        all.iter().partition(|f| concerns(f, req));
    if concerned.is_empty() || others.is_empty() {
        return Ok((all, None));
    }
    let what = match req.direction {
        Direction::ToPodIdentity => "this cluster's OIDC provider",
        Direction::ToIrsa => "the Pod Identity service (pods.eks.amazonaws.com)",
    };
    let (verb, whose) = match others.len() {
        1 => ("is", "its trust does"),
        _ => ("are", "their trusts do"),
    };
    let note = diagnostic(
        "MIG062",
        format!(
            "{} {verb} left as written: {whose} not name {what}",
            list(&others)
        ),
    );
    Ok((concerned, Some(note)))
}

/// A selection that failed, said.
fn fail<T>(d: Diagnostic) -> Result<T, Box<Diagnostic>> {
    Err(Box::new(d))
}

/// True when a role's trust names what this move changes, or may (a placeholder the plan reads).
fn concerns(found: &Found, req: &Request<'_>) -> bool {
    let text = found.trust.to_string().to_ascii_lowercase();
    let needle = match req.direction {
        Direction::ToPodIdentity => super::phases::host_path(req.issuer).to_ascii_lowercase(),
        Direction::ToIrsa => crate::aws::POD_IDENTITY_PRINCIPAL.to_string(),
    };
    text.contains(&needle) || !unresolved(&found.trust).is_empty()
}

/// One role's findings and its phase 1 and 3 trusts.
fn plan_role(
    found: &Found,
    text: &str,
    kind: Kind,
    req: &Request<'_>,
) -> (Vec<Diagnostic>, Option<(Value, Value)>) {
    let located = |d: Diagnostic| match kind {
        Kind::Trust => d,
        _ => {
            let message = format!("`{}`: {}", found.role, d.message);
            Diagnostic { message, ..d }.at(found.at)
        }
    };
    let computed = unresolved(&found.trust);
    if !computed.is_empty() {
        let d = diagnostic("MIG060", format!(
            "the trust has values its tool computes where the plan reads which cluster and ServiceAccounts it admits ({}): no plan is made from a guess",
            computed.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
        ));
        return (vec![located(d)], None);
    }
    let input = match kind {
        Kind::Trust => text.to_string(),
        _ => found.text(),
    };
    let plan = match (req.direction, req.cluster_arn) {
        (Direction::ToPodIdentity, arn) => super::from_trust::plan_trust(&input, req.issuer, arn),
        (Direction::ToIrsa, Some(arn)) => super::to_irsa_trust::plan_trust(&input, req.issuer, arn),
        (Direction::ToIrsa, None) => {
            let d = diagnostic("MIG001", "going back to IRSA needs the cluster's ARN: it says which Pod Identity statements are this cluster's");
            return (vec![d], None);
        }
    };
    let diagnostics = plan.diagnostics.into_iter().map(located).collect();
    let parse = |t: Option<String>| t.and_then(|t| serde_json::from_str::<Value>(&t).ok());
    match (parse(plan.both), parse(plan.end)) {
        (Some(both), Some(end)) => (diagnostics, Some((both, end))),
        _ => (diagnostics, None),
    }
}

/// The phase files: phase 1's and phase 3's, each with its apply step
/// (but a bare trust's, which are the trusts alone, as they always were).
fn files(
    name: &str,
    text: &str,
    kind: Kind,
    direction: Direction,
    planned: &[(&Found, Value, Value)],
) -> Result<Vec<PlanFile>, Box<Diagnostic>> {
    let mut out = Vec::new();
    for phase in [1, 3] {
        let trusts: Vec<(&Found, Value)> = planned
            .iter()
            .map(|(f, both, end)| {
                (
                    *f,
                    if phase == 1 {
                        both.clone()
                    } else {
                        end.clone()
                    },
                )
            })
            .collect();
        let json = |v: &Value| serde_json::to_string_pretty(v).unwrap_or_default() + "\n";
        match kind {
            Kind::Trust => out.extend(trusts.iter().map(|(_, v)| PlanFile {
                path: format!("phase-{phase}/trust.json"),
                text: json(v),
            })),
            Kind::Dump => {
                let file = |f: &Found| match trusts.len() {
                    1 => "trust.json".to_string(),
                    _ => format!("{}.json", f.role),
                };
                let mut s = script(phase, direction);
                for (f, _) in &trusts {
                    s.command_in(
                        "",
                        &[
                            "aws",
                            "iam",
                            "update-assume-role-policy",
                            "--role-name",
                            &f.role,
                            "--policy-document",
                        ],
                        &format!("\"file://$here/\"{}", quote(&file(f))),
                    );
                }
                out.push(apply(phase, s));
                out.extend(trusts.iter().map(|(f, v)| PlanFile {
                    path: format!("phase-{phase}/{}", file(f)),
                    text: json(v),
                }));
            }
            Kind::Terraform | Kind::CloudFormation => {
                let edits: Vec<(&Found, &Value)> = trusts.iter().map(|(f, v)| (*f, v)).collect();
                let base = base_name(name, kind);
                out.push(apply(
                    phase,
                    iac_script(phase, direction, name, &base, kind),
                ));
                let written = super::iac_edit::edit(text, &edits);
                let lost = super::iac_edit::not_read_back(name, &written, &edits);
                if !lost.is_empty() {
                    return Err(Box::new(diagnostic("MIG060", format!(
                        "the phase {phase} file does not read back with the trust of {} as planned (a layout migrate does not edit): no file is written; give the trust as JSON",
                        lost.iter().map(|r| format!("`{r}`")).collect::<Vec<_>>().join(", ")
                    ))));
                }
                out.push(PlanFile {
                    path: format!("phase-{phase}/{base}"),
                    text: written,
                });
            }
        }
    }
    Ok(out)
}

fn apply(phase: u8, s: Script) -> PlanFile {
    PlanFile {
        path: format!("phase-{phase}/{}", super::scripts::APPLY),
        text: s.finish(),
    }
}

/// The file's own name (standard input's a default).
fn base_name(name: &str, kind: Kind) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    match base {
        "" | "-" | "<stdin>" if kind == Kind::Terraform => "main.tf".into(),
        "" | "-" | "<stdin>" => "template.yaml".into(),
        b => b.to_string(),
    }
}

/// A phase's script header: what the phase does.
fn script(phase: u8, direction: Direction) -> Script {
    let what = match (direction, phase) {
        (Direction::ToPodIdentity, 1) => "Phase 1 of 3: each role's trust admits both paths, IRSA (kept) and EKS Pod Identity.",
        (Direction::ToPodIdentity, _) => "Phase 3 of 3, once phase 2 moved the pods (associations created, workloads restarted, verified): only this cluster's OIDC statement removed.",
        (Direction::ToIrsa, 1) => "Phase 1 of 3: each role's trust admits this cluster's IRSA path again, beside Pod Identity (kept).",
        (Direction::ToIrsa, _) => "Phase 3 of 3, once phase 2 moved the pods (annotations written, associations deleted, workloads restarted): only this cluster's Pod Identity statements removed.",
    };
    let mut s = super::scripts::script(&[
        what,
        "Rollback: apply the files of the phase before (phase 1's: your own).",
    ]);
    s.raw("here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"");
    s
}

/// `terraform apply` of the file put back where it was, or `aws cloudformation deploy` of the template.
fn iac_script(phase: u8, direction: Direction, name: &str, base: &str, kind: Kind) -> Script {
    let mut s = script(phase, direction);
    let from_stdin = matches!(name, "" | "-" | "<stdin>");
    match kind {
        Kind::Terraform => {
            let dir = match name.rsplit_once(['/', '\\']) {
                Some((d, _)) if !d.is_empty() => d,
                _ => ".",
            };
            if from_stdin {
                s.comment(&format!(
                    "Copy {base} over the file you gave, in the module's directory, first."
                ));
            } else {
                s.comment("The phase's file replaces yours (run this from where you ran irsa-gen); review the plan Terraform shows before you answer yes.");
                s.raw(&format!("cp -- \"$here/\"{} {}", quote(base), quote(name)));
            }
            s.command(&["terraform", &format!("-chdir={dir}"), "plan"]);
            s.command(&["terraform", &format!("-chdir={dir}"), "apply"]);
        }
        _ => {
            s.comment("CloudFormation deploys the template as a change set (the stack's parameters keep their values); add --no-execute-changeset to review it first.");
            s.raw(": \"${STACK_NAME:?set STACK_NAME to the name of the stack of this template}\"");
            s.command_in(
                "",
                &[
                    "aws",
                    "cloudformation",
                    "deploy",
                    "--capabilities",
                    "CAPABILITY_NAMED_IAM",
                    "--stack-name",
                ],
                &format!("\"$STACK_NAME\" --template-file \"$here/\"{}", quote(base)),
            );
        }
    }
    s
}
