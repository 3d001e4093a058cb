//! Migrate mode's page: the form's spec, or a file pasted or dropped (a
//! trust policy, Terraform, a CloudFormation template, a role dump: named
//! by the dropped file or the kind picked, one role picked when it has
//! several; with the issuer, the cluster's ARN and, for a role of another
//! account, the target role's ARN), as `irsa-gen migrate` plans it; the target and
//! source switches, the blockers with their codes, each phase with its
//! files (each downloadable) and "Download all" (a zip under `migration/`).
//! Everything shown comes from [`crate::migrate`] (core's `migrate`).

use std::rc::Rc;

use irsa_core::migrate::{Phase, PlanFile};
use irsa_core::Diagnostic;
use yew::prelude::*;

use crate::app::{download, download_bytes, read_text_file, Code, Dispatch};
use crate::check::MAX_FILE_BYTES;
use crate::check_editor::{wrap_toggle, FileEditor};
use crate::finding::diagnostic_line;
use irsa_core::migrate::Direction;

use crate::migrate::{self, Migration, Outcome, Source, TrustField, TrustInput};
use crate::state::{Action, Lang, Mode, State};

/// What the page is drawn from.
#[derive(Properties, PartialEq)]
pub(crate) struct MigrateProps {
    /// The whole playground state (the form, the target, check mode's files).
    pub(crate) state: Rc<State>,
    /// Where edits go.
    pub(crate) dispatch: Dispatch,
}

/// Migrate mode: the target in, the plan out.
#[function_component(MigrateView)]
pub(crate) fn migrate_view(props: &MigrateProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let m = match state.migrate_source {
        Source::Spec => migrate::plan(&state.form, state.migrate_to, &state.check.files),
        Source::Trust => migrate::plan_trust(state.migrate_to, &state.migrate_trust),
    };
    let to = |mode: Mode| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::SetMode(mode)))
    };
    let target = |t: Direction| {
        let d = d.clone();
        let checked = state.migrate_to == t;
        let id = format!("mig-to-{}", t.target());
        html! {
            <label class="choice" for={id.clone()}>
                <input type="radio" name="mig-to" id={id} value={t.target()} {checked}
                    onchange={Callback::from(move |_| d.dispatch(Action::MigrateTo(t)))} />
                { migrate::label(t) }
            </label>
        }
    };
    let source = |s: Source| {
        let d = d.clone();
        let checked = state.migrate_source == s;
        let id = format!("mig-from-{}", s.id());
        html! {
            <label class="choice" for={id.clone()}>
                <input type="radio" name="mig-from" id={id} value={s.id()} {checked}
                    onchange={Callback::from(move |_| d.dispatch(Action::MigrateSource(s)))} />
                { s.label() }
            </label>
        }
    };
    let spec_inputs = html! {
        <>
                <p class="muted">
                    { "The spec is the one in " }
                    <button type="button" class="link" onclick={to(Mode::Generate)}>{ "Generate" }</button>
                    { "; the workloads restarted in phase 2 are its own and those in " }
                    <button type="button" class="link" onclick={to(Mode::Check)}>{ "Check" }</button>
                    { match m.workloads {
                        1 => " (1 workload or ServiceAccount there).".to_string(),
                        n => format!(" ({n} workloads or ServiceAccounts there)."),
                    } }
                </p>
                { for m.unread.iter().map(|u| html! { <p class="diag warning">{ format!("Left out: {u}") }</p> }) }
        </>
    };
    html! {
        <div class="check migrate" id="tab-migrate-panel" role="tabpanel" aria-labelledby="tab-migrate">
            <div class="check-in">
                <fieldset class="targets">
                    <legend>{ "Migrate" }</legend>
                    { for Direction::ALL.into_iter().map(target) }
                </fieldset>
                <fieldset class="targets">
                    <legend>{ "Plan from" }</legend>
                    { for Source::ALL.into_iter().map(source) }
                </fieldset>
                if state.migrate_source == Source::Spec {
                    { spec_inputs }
                } else {
                    { trust_inputs(state, &m, d) }
                }
                { summary(&m) }
            </div>
            <div class="check-out">
                { phases(&m) }
            </div>
        </div>
    }
}

/// One text input of the trust route, dispatched as typed.
fn trust_field(
    d: &Dispatch,
    field: TrustField,
    id: &str,
    label: &str,
    value: &str,
    hint: &str,
) -> Html {
    let d = d.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let el: web_sys::HtmlInputElement = e.target_unchecked_into();
        d.dispatch(Action::MigrateTrust(field, el.value()));
    });
    html! {
        <div class="field">
            <label for={id.to_string()}>{ label }</label>
            <input type="text" id={id.to_string()} value={value.to_string()} placeholder={hint.to_string()}
                spellcheck="false" autocomplete="off" {oninput} />
        </div>
    }
}

/// A trust's editor, which takes a dropped or chosen file too (the role's
/// file keeps the dropped file's name: its kind).
fn trust_editor(d: &Dispatch, field: TrustField, name: &str, text: &str, wrap: bool) -> Html {
    let set = {
        let d = d.clone();
        Callback::from(move |text: String| d.dispatch(Action::MigrateTrust(field, text)))
    };
    let read = {
        let (set, d) = (set.clone(), d.clone());
        move |files: Option<web_sys::FileList>| {
            if let Some(file) = files.and_then(|l| l.get(0)) {
                if file.size() <= MAX_FILE_BYTES as f64 {
                    let (set, d) = (set.clone(), d.clone());
                    read_text_file(file, move |name, text| match field {
                        TrustField::Trust => d.dispatch(Action::MigrateFile(name, text)),
                        _ => set.emit(text),
                    });
                }
            }
        }
    };
    let on_drop = {
        let read = read.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            read(e.data_transfer().and_then(|t| t.files()));
        })
    };
    let on_choose = Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        read(input.files());
        input.set_value("");
    });
    let (id, open, accept) = match field {
        TrustField::SourceTrust => (
            "mig-open-source",
            format!("Open a file as {name}"),
            ".json,application/json,text/plain",
        ),
        _ => (
            "mig-open-file",
            "Open a file".to_string(),
            ".json,.yaml,.yml,.tf,.template,application/json,application/yaml,text/plain",
        ),
    };
    html! {
        <div class="mig-trust" ondrop={on_drop} ondragover={Callback::from(|e: DragEvent| e.prevent_default())}>
            <p class="buttons">
                <input type="file" class="visually-hidden" id={id} {accept} onchange={on_choose} />
                <label class="as-button" for={id}>{ open }</label>
                <span class="muted">{ " or paste it below, or drop it here." }</span>
            </p>
            <FileEditor name={name.to_string()} text={text.to_string()} highlight_line={None::<u32>} onchange={set} {wrap} />
        </div>
    }
}

/// A select of the trust route, dispatched as picked: `choices` are
/// (value, words), the first the one for an empty value.
fn trust_select(
    d: &Dispatch,
    field: TrustField,
    id: &str,
    label: &str,
    value: &str,
    choices: &[(String, String)],
) -> Html {
    let d = d.clone();
    let onchange = Callback::from(move |e: Event| {
        let el: web_sys::HtmlSelectElement = e.target_unchecked_into();
        d.dispatch(Action::MigrateTrust(field, el.value()));
    });
    html! {
        <div class="field mig-pick">
            <label for={id.to_string()}>{ label }</label>
            <select id={id.to_string()} {onchange}>
                { for choices.iter().map(|(v, words)| html! {
                    <option value={v.clone()} selected={v == value}>{ words }</option>
                }) }
            </select>
        </div>
    }
}

/// The kind picker's choices: by its content (what it reads as now, when
/// that is the choice: `name`), each kind, and a dropped file's own name.
fn kind_choices(t: &TrustInput, name: &str) -> Vec<(String, String)> {
    let by_content = match t.name.trim() {
        "" => format!("By its content (now {name})"),
        _ => "By its content".to_string(),
    };
    let mut out = vec![(String::new(), by_content)];
    out.extend(
        migrate::KINDS
            .iter()
            .map(|(n, w)| (n.to_string(), w.to_string())),
    );
    let own = t.name.trim();
    if !own.is_empty() && !migrate::KINDS.iter().any(|(n, _)| *n == own) {
        out.push((own.to_string(), format!("{own} (the file's own name)")));
    }
    out
}

/// The role picker's choices: every role this move concerns, or one.
fn role_choices(t: &TrustInput, roles: &[String]) -> Vec<(String, String)> {
    let mut out = vec![(String::new(), "Every role this move concerns".to_string())];
    out.extend(roles.iter().map(|r| (r.clone(), r.clone())));
    let own = t.role.trim();
    if !own.is_empty() && !roles.iter().any(|r| r == own) {
        out.push((own.to_string(), own.to_string()));
    }
    out
}

/// From a file: its kind, the file, the role of it, then the flags
/// `migrate --trust` takes.
fn trust_inputs(state: &State, m: &Migration, d: &Dispatch) -> Html {
    let (t, to, wrap) = (&state.migrate_trust, state.migrate_to, state.editor_wrap);
    html! {
        <section class="box" aria-labelledby="h-mig-trust">
            <h2 id="h-mig-trust">{ "The role's file" }</h2>
            <p class="muted">{ "Its trust policy, the Terraform file or CloudFormation template that makes it, or aws iam get-role output: the phase files are in the same format." }</p>
            { trust_select(d, TrustField::Name, "mig-kind", "Kind of file", t.name.trim(), &kind_choices(t, &m.file_name)) }
            { wrap_toggle(wrap, d) }
            { trust_editor(d, TrustField::Trust, &m.file_name, &t.trust, wrap) }
            if !m.roles.is_empty() || !t.role.trim().is_empty() {
                { trust_select(d, TrustField::Role, "mig-role", "Role of the file", t.role.trim(), &role_choices(t, &m.roles)) }
            }
            { trust_field(d, TrustField::Issuer, "mig-issuer", "Issuer URL", &t.issuer,
                "https://oidc.eks.REGION.amazonaws.com/id/ID") }
            { trust_field(d, TrustField::ClusterArn, "mig-cluster-arn", "Cluster ARN", &t.cluster_arn,
                "arn:aws:eks:REGION:ACCOUNT:cluster/NAME (back to IRSA: required)") }
            { trust_field(d, TrustField::TargetRoleArn, "mig-target-role-arn", "Target role ARN", &t.target_role_arn,
                "only for a role of another account: arn:aws:iam::ACCOUNT:role/NAME") }
            if !t.target_role_arn.trim().is_empty() {
                { trust_field(d, TrustField::SourceRoleName, "mig-source-role-name", "Source role name", &t.source_role_name,
                    "in the cluster's account (default: TARGET-pod-identity)") }
            }
            if t.reads_source_trust(to) {
                <h3>{ "The source role's trust policy" }</h3>
                { trust_editor(d, TrustField::SourceTrust, migrate::SOURCE_TRUST_FILE, &t.source_trust, wrap) }
            }
        </section>
    }
}

/// The left column: what blocks the plan, or its findings and "Download all".
fn summary(m: &Migration) -> Html {
    match &m.outcome {
        Outcome::Empty => {
            html! { <p class="muted" id="mig-status">{ "Fill in the spec in Generate first." }</p> }
        }
        Outcome::Needs(what) => html! { <p class="muted" id="mig-status">{ *what }</p> },
        Outcome::Invalid(n) => html! {
            <p class="diag error" id="mig-status">{ format!("The spec has {n} error(s): fix them in Generate before planning.") }</p>
        },
        Outcome::Failed(e) => {
            html! { <p class="diag error" id="mig-status">{ format!("Rendering failed: {e}") }</p> }
        }
        Outcome::Blocked(diagnostics) => html! {
            <section class="box" aria-labelledby="h-mig-findings">
                <h2 id="h-mig-findings">{ "Blocked: fix these first" }</h2>
                <p class="muted" id="mig-status">{ "No phase is written while an error below stands: nothing has changed yet." }</p>
                { findings(diagnostics) }
            </section>
        },
        Outcome::Planned {
            diagnostics,
            files,
            phases,
        } => {
            let all = {
                let files = files.clone();
                Callback::from(move |_| {
                    if let Some(zip) = migrate::archive(&files) {
                        download_bytes(migrate::ZIP_FILE, &zip, "application/zip");
                    }
                })
            };
            html! {
                <section class="box" aria-labelledby="h-mig-findings">
                    <h2 id="h-mig-findings">{ format!("Findings ({})", diagnostics.len()) }</h2>
                    <p class="muted" id="mig-status">{ if phases.is_empty() {
                        format!("{} files: phase 1's (each trust admits both paths) and phase 3's (this cluster's old path removed).", files.len())
                    } else {
                        format!("{} files in three phases, each with its rollback.", files.len())
                    } }</p>
                    <p><button type="button" id="mig-all" onclick={all}
                        title="A zip of every file irsa-gen migrate --output-dir writes, under migration/">{ "Download all" }</button></p>
                    { findings(diagnostics) }
                </section>
            }
        }
    }
}

fn findings(diagnostics: &[Diagnostic]) -> Html {
    html! { <div class="findings">{ for diagnostics.iter().map(diagnostic_line) }</div> }
}

/// The right column: each phase with its files.
fn phases(m: &Migration) -> Html {
    let Outcome::Planned { phases, files, .. } = &m.outcome else {
        return html! {
            <section class="box" aria-labelledby="h-mig-phases">
                <h2 id="h-mig-phases">{ "Phases" }</h2>
                <p class="muted">{ "The phases appear here once nothing blocks the plan." }</p>
            </section>
        };
    };
    let plan = files.iter().find(|f| f.path == "PLAN.md");
    html! {
        <>
        if let Some(plan) = plan {
            <section class="box" aria-labelledby="h-mig-plan">
                <h2 id="h-mig-plan">{ "The plan" }</h2>
                <FileRow file={plan.clone()} />
            </section>
        }
        { for phases.iter().map(phase) }
        if phases.is_empty() {
            <section class="box" aria-labelledby="h-mig-trusts">
                <h2 id="h-mig-trusts">{ "The files of phases 1 and 3" }</h2>
                { for files.iter().map(|f| html! { <FileRow key={f.path.clone()} file={f.clone()} /> }) }
            </section>
        }
        </>
    }
}

fn phase(p: &Phase) -> Html {
    let id = format!("h-phase-{}", p.number);
    html! {
        <section class="box phase" aria-labelledby={id.clone()} data-phase={p.number.to_string()}>
            <h2 {id}>{ format!("Phase {}: {}", p.number, p.title) }</h2>
            { for p.files.iter().map(|f| html! { <FileRow key={f.path.clone()} file={f.clone()} /> }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FileProps {
    file: PlanFile,
}

/// One file of the plan: its path, shown on demand, downloadable.
#[function_component(FileRow)]
fn file_row(props: &FileProps) -> Html {
    let open = use_state(|| false);
    let f = &props.file;
    let lang = Lang::of(&f.path);
    let toggle = {
        let open = open.clone();
        Callback::from(move |_| open.set(!*open))
    };
    let save = {
        let (path, text) = (f.path.clone(), f.text.clone());
        let mime = match lang {
            Lang::Json => "application/json",
            Lang::Yaml => "application/yaml",
            Lang::Plain => "text/plain",
        };
        // One name per file: phase-1/apply.sh and phase-2/apply.sh both download.
        Callback::from(move |_| download(&path.replace('/', "-"), &text, mime))
    };
    html! {
        <div class="plan-file" data-file={f.path.clone()}>
            <div class="plan-file-head">
                <code>{ &f.path }</code>
                <span class="actions">
                    <button type="button" onclick={toggle} aria-expanded={open.to_string()}
                        aria-label={format!("{} {}", if *open { "Hide" } else { "Show" }, f.path)}>{ if *open { "Hide" } else { "Show" } }</button>
                    <button type="button" onclick={save} aria-label={format!("Download {}", f.path)}>{ "Download" }</button>
                </span>
            </div>
            if *open {
                <Code text={f.text.clone()} {lang} />
            }
        </div>
    }
}
