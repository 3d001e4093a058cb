//! Migrate mode's page: the form's spec as `irsa-gen migrate` plans it, the
//! target switch, the blockers with their codes, each phase with its files
//! (each downloadable) and "Download all" (a zip under `migration/`).
//! Everything shown comes from [`crate::migrate`] (core's `migrate::plan`).

use std::rc::Rc;

use irsa_core::migrate::{Phase, PlanFile};
use irsa_core::Diagnostic;
use yew::prelude::*;

use crate::app::{diagnostic_line, download, download_bytes, Code, Dispatch};
use irsa_core::migrate::Direction;

use crate::migrate::{self, Migration, Outcome};
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
    let m = migrate::plan(&state.form, state.migrate_to, &state.check.files);
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
    html! {
        <div class="check migrate" id="tab-migrate-panel" role="tabpanel" aria-labelledby="tab-migrate">
            <div class="check-in">
                <fieldset class="targets">
                    <legend>{ "Migrate the form's roles" }</legend>
                    { for Direction::ALL.into_iter().map(target) }
                </fieldset>
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
                { summary(&m) }
            </div>
            <div class="check-out">
                { phases(&m) }
            </div>
        </div>
    }
}

/// The left column: what blocks the plan, or its findings and "Download all".
fn summary(m: &Migration) -> Html {
    match &m.outcome {
        Outcome::Empty => {
            html! { <p class="muted" id="mig-status">{ "Fill in the spec in Generate first." }</p> }
        }
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
            diagnostics, files, ..
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
                    <p class="muted" id="mig-status">{ format!("{} files in three phases, each with its rollback.", files.len()) }</p>
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
