//! Generate mode's page: the form (the spec's fields, then each binding's),
//! the spec file in and out, and the artefacts. Everything shown comes from
//! [`crate::state`] (core's `validate` and `generate`).

use std::rc::Rc;

use irsa_core::{ArtefactKind, Diagnostic, Format, Severity};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::app::{
    copy_page_link, copy_text, download, download_bytes, focus, read_text_file, Code, Dispatch,
};
use crate::finding::diagnostic_line;
use crate::state::{self, Action, Field, Input, Lang, Output, Panel, Part, Place, State};

/// The guide's example, as a query (the empty state's button).
const EXAMPLE: &str = "account=123456789012&region=ap-south-1&cluster=EXAMPLED539D4633E53DE1B716D3041E&ns=production&sa=s3-writer&role=S3WriterRole&s3=my-app-uploads&s3Access=write&ttl=86400&workload=my-app&image=my-app%3Alatest";

#[derive(Properties, PartialEq)]
pub(crate) struct GenerateProps {
    pub state: Rc<State>,
    pub dispatch: Dispatch,
}

#[function_component(GenerateView)]
pub(crate) fn generate_view(props: &GenerateProps) -> Html {
    let state = &props.state;
    let d = &props.dispatch;
    let fieldsets = state::SPEC_GROUPS
        .iter()
        .map(|group| fieldset(state, d, 0, group));
    let bindings = (0..state.form.binding_count()).map(|b| binding_view(state, d, b));
    let reset = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::Reset))
    };
    let add = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::AddBinding))
    };
    html! {
        <div class="generate" id="tab-generate-panel" role="tabpanel" aria-labelledby="tab-generate">
            <form class="form" aria-label="Spec" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                <a class="jump" href="#artefacts">{ status_line(state) }</a>
                <SpecFile state={Rc::clone(state)} dispatch={d.clone()} />
                { for fieldsets }
                { for bindings }
                <p class="form-actions">
                    <button type="button" onclick={add}>{ "Add a binding" }</button>
                    <button type="button" class="ghost" onclick={reset}>{ "Clear the form" }</button>
                </p>
            </form>
            <Outputs state={Rc::clone(state)} dispatch={d.clone()} />
        </div>
    }
}

/// One section of the spec's own fields.
fn fieldset(state: &State, d: &Dispatch, b: usize, (legend, fields): &(&str, &[Field])) -> Html {
    html! {
        <fieldset>
            <legend>{ *legend }</legend>
            { for fields.iter().map(|f| input_of(state, d, b, *f, 0, f.label().to_string())) }
        </fieldset>
    }
}

/// One section of binding `b`: its fields and its rows.
fn binding_fieldset(
    state: &State,
    d: &Dispatch,
    b: usize,
    (legend, parts): &(&str, &[Part]),
) -> Html {
    html! {
        <fieldset>
            <legend>{ *legend }</legend>
            { for parts.iter().map(|part| match part {
                Part::Field(f) => input_of(state, d, b, *f, 0, f.label().to_string()),
                Part::Rows(g) => crate::form_rows_view::rows_view(state, d, b, *g),
            }) }
        </fieldset>
    }
}

/// The input of `field` in row `row` of binding `b`, with its findings.
pub(crate) fn input_of(
    state: &State,
    d: &Dispatch,
    b: usize,
    field: Field,
    row: usize,
    label: String,
) -> Html {
    html! {
        <FieldInput {field} binding={b} {row} {label} value={state.form.get_at(b, field, row).to_string()}
            diagnostics={state.derived.for_cell(b, field, row).cloned().collect::<Vec<_>>()}
            dispatch={d.clone()} />
    }
}

/// A binding: its heading with duplicate and remove, and its sections.
fn binding_view(state: &State, d: &Dispatch, b: usize) -> Html {
    let n = b + 1;
    let who = match (
        state.form.get_in(b, Field::Namespace).trim(),
        state.form.get_in(b, Field::ServiceAccount).trim(),
    ) {
        ("", "") => String::new(),
        (ns, sa) => format!(": {ns}/{sa}"),
    };
    let act = |action: Action| {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(action.clone()))
    };
    let several = state.form.binding_count() > 1;
    html! {
        <section class="binding" aria-labelledby={format!("h-binding-{n}")} data-binding={n.to_string()}>
            <header>
                <h2 id={format!("h-binding-{n}")}>{ format!("Binding {n}") }<span class="muted">{ who }</span></h2>
                <span class="actions">
                    <button type="button" onclick={act(Action::DuplicateBinding(b))}
                        aria-label={format!("Duplicate binding {n}")}>{ "Duplicate" }</button>
                    if several {
                        <button type="button" onclick={act(Action::RemoveBinding(b))}
                            aria-label={format!("Remove binding {n}")}>{ "Remove" }</button>
                    }
                </span>
            </header>
            { for state::BINDING_GROUPS.iter().map(|group| binding_fieldset(state, d, b, group)) }
        </section>
    }
}

/// The one-line summary linking to the outputs (shown on narrow screens).
fn status_line(state: &State) -> String {
    match &state.derived.output {
        Output::Empty => "Artefacts appear below the form".into(),
        Output::Invalid => format!(
            "{} to fix before anything is generated: see the list",
            errors_phrase(state)
        ),
        Output::Stale(_) => format!(
            "{} to fix: the artefacts below are out of date",
            errors_phrase(state)
        ),
        Output::Panels(p) => format!(
            "{} artefacts generated: jump to them",
            p.iter().filter(|p| p.primary).count()
        ),
        Output::Failed(_) => "Rendering failed: see below".into(),
    }
}

#[derive(Properties, PartialEq)]
struct FieldProps {
    field: Field,
    binding: usize,
    row: usize,
    label: String,
    value: String,
    diagnostics: Vec<Diagnostic>,
    dispatch: Dispatch,
}

#[function_component(FieldInput)]
fn field_input(props: &FieldProps) -> Html {
    let (f, b, r) = (props.field, props.binding, props.row);
    let id = f.id_at(b, r);
    let msg_id = format!("{id}-msg");
    let has_error = props
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error);
    let described = (!props.diagnostics.is_empty()).then(|| msg_id.clone());
    let name = id.trim_start_matches("f-").to_string();
    // A select shows the state's value after every render: an `<option
    // selected>` attribute does not move a selection the user already
    // changed, so a select whose row moved (a row removed above it, a spec
    // opened) could show another value than the form holds.
    let select_ref = use_node_ref();
    {
        let (select_ref, value) = (select_ref.clone(), props.value.clone());
        use_effect(move || {
            if let Some(select) = select_ref.cast::<HtmlSelectElement>() {
                if select.value() != value {
                    select.set_value(&value);
                }
            }
        });
    }
    let control = match f.input() {
        Input::Text(placeholder) => {
            let d = props.dispatch.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                let input: HtmlInputElement = e.target_unchecked_into();
                d.dispatch(Action::SetAt(b, f, r, input.value()));
            });
            // The region suggests core's known regions, each with its partition.
            let list = (f == Field::Region).then_some("known-regions");
            html! {
                <>
                <input id={id.clone()} {name} type="text" value={props.value.clone()}
                    placeholder={placeholder} autocomplete="off" spellcheck="false"
                    aria-invalid={has_error.to_string()} aria-describedby={described}
                    {list} {oninput} />
                if list.is_some() {
                    <datalist id="known-regions">
                        { for crate::form_lists::known_regions().map(|(region, words)| html! {
                            <option value={region} label={words} />
                        }) }
                    </datalist>
                }
                </>
            }
        }
        Input::Area(placeholder) => {
            let d = props.dispatch.clone();
            let oninput = Callback::from(move |e: InputEvent| {
                let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                d.dispatch(Action::SetAt(b, f, r, area.value()));
            });
            html! {
                <textarea id={id.clone()} {name} rows="5" value={props.value.clone()}
                    placeholder={placeholder} spellcheck="false" class="json-area"
                    aria-invalid={has_error.to_string()} aria-describedby={described} {oninput} />
            }
        }
        Input::Select(choices) => {
            let d = props.dispatch.clone();
            let onchange = Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                d.dispatch(Action::SetAt(b, f, r, select.value()));
            });
            html! {
                <select id={id.clone()} {name} aria-invalid={has_error.to_string()}
                    aria-describedby={described} {onchange} ref={select_ref}>
                    { for choices.iter().map(|(value, label)| html! {
                        <option value={*value} selected={props.value == *value}>{ *label }</option>
                    }) }
                </select>
            }
        }
    };
    html! {
        <div class={classes!("field", has_error.then_some("invalid"))}>
            <label for={id.clone()}>{ props.label.clone() }</label>
            { control }
            if !props.diagnostics.is_empty() {
                <div class="field-msgs" id={msg_id}>
                    { for props.diagnostics.iter().map(diagnostic_line) }
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct SpecFileProps {
    state: Rc<State>,
    dispatch: Dispatch,
}

/// The spec file in and out: open or paste one (core reads it as the CLI
/// does), download the form's, and share the page's link.
#[function_component(SpecFile)]
fn spec_file(props: &SpecFileProps) -> Html {
    let pasted = use_state(String::new);
    let shared = use_state(|| false);
    let d = &props.dispatch;
    let on_open = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|l| l.get(0)) {
                let d = d.clone();
                read_text_file(file, move |_, text| d.dispatch(Action::OpenSpec(text)));
            }
            input.set_value("");
        })
    };
    let on_paste = {
        let pasted = pasted.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            pasted.set(el.value());
        })
    };
    let on_load = {
        let (d, pasted) = (d.clone(), pasted.clone());
        Callback::from(move |_| {
            if !pasted.trim().is_empty() {
                d.dispatch(Action::OpenSpec((*pasted).clone()));
                pasted.set(String::new());
            }
        })
    };
    let save = {
        let state = Rc::clone(&props.state);
        Callback::from(move |_| download("spec.yaml", &state.spec_yaml(), "application/yaml"))
    };
    let share = copy_page_link(shared.clone());
    {
        // Only when it said "Link copied": setting a state renders the
        // component again, which a keystroke need not pay for.
        let shared = shared.clone();
        use_effect_with(props.state.form.clone(), move |_| {
            if *shared {
                shared.set(false);
            }
        });
    }
    html! {
        <fieldset class="spec-file">
            <legend>{ "Spec file" }</legend>
            <p class="buttons">
                <input id="spec-open" class="visually-hidden" type="file"
                    accept=".yaml,.yml,.json,application/yaml,application/json,text/plain" onchange={on_open} />
                <label class="as-button" for="spec-open">{ "Open a spec file" }</label>
                <button type="button" onclick={save} title="The spec irsa-gen generate -f spec.yaml reads">{ "Download spec.yaml" }</button>
                <button type="button" onclick={share} title="Copy this page's link: the whole form is in it">
                    { if *shared { "Link copied" } else { "Copy share link" } }
                </button>
            </p>
            <details>
                <summary>{ "Paste a spec" }</summary>
                <div class="field">
                    <label for="spec-paste">{ "Spec (YAML or JSON)" }</label>
                    <textarea id="spec-paste" rows="6" spellcheck="false" placeholder="accountId: \"123456789012\"\nregion: us-west-2\n..."
                        value={(*pasted).clone()} oninput={on_paste} />
                </div>
                <button type="button" onclick={on_load}>{ "Fill the form from it" }</button>
            </details>
            { opened_notice(&props.state) }
        </fieldset>
    }
}

/// What opening a spec said: why it was not read, or what the form left out.
fn opened_notice(state: &State) -> Html {
    let Some(opened) = &state.opened else {
        return html! {};
    };
    html! {
        <div id="spec-opened" role="status">
            { for opened.problems.iter().map(diagnostic_line) }
            if !opened.left_out.is_empty() {
                <p class="diag warning">{ format!(
                    "The form has no field yet for {} of this spec's values; they are not in the form, nor in the spec it downloads: {}",
                    opened.left_out.len(),
                    opened.left_out.iter().map(|p| irsa_core::fields::describe(p)).collect::<Vec<_>>().join(", ")) }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct OutputsProps {
    state: Rc<State>,
    dispatch: Dispatch,
}

#[function_component(Outputs)]
fn outputs(props: &OutputsProps) -> Html {
    let state = &props.state;
    let unplaced: Vec<Diagnostic> = state.derived.unplaced().map(located).collect();
    let body = match &state.derived.output {
        Output::Empty => html! {
            <div class="notice empty" role="status">
                <p><strong>{ "Fill in the form to generate the artefacts." }</strong></p>
                <p>{ "Start with the AWS account ID, the region, the cluster ID (or its OIDC issuer URL), the namespace and the service account, or open a spec file. Every keystroke updates the trust policy, permissions policy and manifests here." }</p>
                <button type="button" onclick={{
                    let d = props.dispatch.clone();
                    Callback::from(move |_| d.dispatch(Action::Restore(EXAMPLE.into())))
                }}>{ "Load the step-by-step guide's example" }</button>
            </div>
        },
        Output::Invalid => html! {
            <div class="notice invalid" role="status" id="fix-fields">
                <p><strong>{ format!("Fix the highlighted fields: {} before anything is generated.", errors_phrase(state)) }</strong></p>
                <ul>{ for field_errors(state).map(|(place, d)| html! { <li>{ field_link(state, place) }{ &d.message }</li> }) }</ul>
            </div>
        },
        Output::Failed(message) => html! {
            <div class="notice invalid" role="alert"><p>{ format!("Could not render the artefacts: {message}") }</p></div>
        },
        Output::Panels(panels) | Output::Stale(panels) => {
            panels_view(state, &props.dispatch, panels)
        }
    };
    html! {
        <section class="outputs" id="artefacts" aria-label="Artefacts">
            if !unplaced.is_empty() {
                <div class="unplaced">{ for unplaced.iter().map(diagnostic_line) }</div>
            }
            { body }
        </section>
    }
}

/// The toolbar, the out-of-date line, the core artefacts and the one
/// alternative format picked, then what is not generated yet and why.
fn panels_view(state: &State, d: &Dispatch, panels: &[Panel]) -> Html {
    let stale = matches!(state.derived.output, Output::Stale(_));
    let as_json = state.manifests_as_json;
    let shown: Vec<&Panel> = panels
        .iter()
        .filter(|p| p.primary || Some(p.kind) == state.alternative)
        .collect();
    let all = {
        let form = state.form.clone();
        Callback::from(move |_| {
            if let Some(zip) = state::archive(&form) {
                download_bytes("irsa-gen-artefacts.zip", &zip, "application/zip");
            }
        })
    };
    let toggle = |json: bool, label: &str| {
        let d = d.clone();
        html! {
            <button type="button" class={classes!("seg", (as_json == json).then_some("on"))}
                aria-pressed={(as_json == json).to_string()}
                onclick={Callback::from(move |_| d.dispatch(Action::ManifestsAsJson(json)))}>
                { label }
            </button>
        }
    };
    let wrap = {
        let (d, on) = (d.clone(), state.wrap);
        Callback::from(move |_| d.dispatch(Action::Wrap(!on)))
    };
    html! {
        <>
        <div class="toolbar">
            <div class="segmented" role="group" aria-label="Manifests as">
                <span class="seg-label">{ "Manifests as" }</span>
                { toggle(false, "YAML") }
                { toggle(true, "JSON") }
            </div>
            { alternative_picker(state, d) }
            <button type="button" aria-pressed={state.wrap.to_string()} onclick={wrap}
                title="Wrap the long lines of policies and manifests instead of scrolling sideways">{ "Wrap lines" }</button>
            <button type="button" onclick={all} disabled={stale} title="A zip of every file the CLI writes for this spec (all formats, manifests as YAML)">{ "Download all" }</button>
        </div>
        // Always in the page, so the panels never move when it fills.
        <p class={classes!("stale-note", stale.then_some("on"))} id="fix-fields" role="status">
            if stale {
                <strong>{ format!("Out of date: fix the highlighted fields ({}).", errors_phrase(state)) }</strong>{ " " }
                { for field_errors(state).map(|(place, _)| field_link(state, place)) }
            }
        </p>
        <div class={classes!("panels", stale.then_some("stale"))} aria-busy={stale.to_string()}>
        { for shown.iter().map(|p| {
            let (text, lang) = p.shown(as_json);
            // Policies and manifests wrap (their key lines are long); scripts
            // and HCL scroll sideways, as in an editor.
            let wraps = state.wrap && matches!(p.format, Format::Json | Format::Yaml);
            html! { <PanelView key={p.file.clone()} title={p.title.clone()} file={p.shown_file(as_json)}
                text={text.to_string()} {lang} wrap={wraps} /> }
        }) }
        </div>
        { missing_view(state) }
        </>
    }
}

/// The select of the alternative formats: those the form gives, and those it
/// does not yet (disabled, with what adds them).
fn alternative_picker(state: &State, d: &Dispatch) -> Html {
    let onchange = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            d.dispatch(Action::Alternative(ArtefactKind::parse(&select.value())));
        })
    };
    let chosen = state.alternative;
    let option = |kind: ArtefactKind| {
        let given = state.derived.offered.contains(&kind);
        let need = state
            .derived
            .missing
            .iter()
            .find(|m| m.kind == kind)
            .map(|m| m.needs);
        let label = match (given, need) {
            (false, Some(need)) => format!("{} ({need})", kind.title()),
            _ => kind.title().to_string(),
        };
        html! {
            <option value={kind.id()} selected={chosen == Some(kind)} disabled={!given}>{ label }</option>
        }
    };
    html! {
        <span class="picker">
            <label for="alt-format">{ "Also as" }</label>
            <select id="alt-format" {onchange}>
                <option value="" selected={chosen.is_none()}>{ "nothing else" }</option>
                { for state::alternatives().map(option) }
            </select>
        </span>
    }
}

/// The core artefacts a binding does not get yet, each with the field that adds it.
fn missing_view(state: &State) -> Html {
    let several = state.form.binding_count() > 1;
    let missing: Vec<_> = state
        .derived
        .missing
        .iter()
        .filter(|m| m.kind.in_stream() || Some(m.kind) == state.alternative)
        .collect();
    if missing.is_empty() {
        return html! {};
    }
    html! {
        <section class="box missing" aria-labelledby="h-missing">
            <h2 id="h-missing">{ "Not generated yet" }</h2>
            <ul>
            { for missing.iter().map(|m| {
                let id = m.field.id_in(m.binding);
                let title = if several { format!("{} of binding {}", m.kind.title(), m.binding + 1) } else { m.kind.title().to_string() };
                html! {
                    <li data-kind={m.kind.id()}>
                        <strong>{ title }</strong>{ ": " }{ m.needs }{ " (" }
                        <button type="button" class="link" onclick={Callback::from(move |_| focus(&id))}>{ m.field.label() }</button>{ ")" }
                    </li>
                }
            }) }
            </ul>
        </section>
    }
}

/// A finding of no field, with where it is in the form's words ("Permissions
/// (binding 1)", core's `fields::describe`) as its place.
fn located(d: &Diagnostic) -> Diagnostic {
    let mut d = d.clone();
    if d.file.is_none() {
        d.file = d.path.as_deref().map(irsa_core::fields::describe);
    }
    d
}

/// "1 error", "3 errors": the form's error count.
fn errors_phrase(state: &State) -> String {
    let n = state.derived.error_count();
    format!("{n} {}", if n == 1 { "error" } else { "errors" })
}

/// The form's errors, each with the field (binding and row) it belongs to (if any).
fn field_errors(state: &State) -> impl Iterator<Item = (Option<Place>, &Diagnostic)> {
    state
        .derived
        .placed()
        .filter(|(_, d)| d.severity == Severity::Error)
}

/// A button that focuses the field (nothing for an error of no field).
fn field_link(state: &State, place: Option<Place>) -> Html {
    match place {
        Some(Place {
            binding,
            field,
            row,
        }) => {
            let id = field.id_at(binding, row);
            let mut label = crate::form_rows_view::row_label(field, row);
            if field.in_binding() && state.form.binding_count() > 1 {
                label.push_str(&format!(" (binding {})", binding + 1));
            }
            html! { <><button type="button" class="link" onclick={Callback::from(move |_| focus(&id))}>{ label }</button>{ ": " }</> }
        }
        None => html! {},
    }
}

#[derive(Properties, PartialEq)]
struct PanelProps {
    title: String,
    file: String,
    text: String,
    lang: Lang,
    /// Wrap long lines.
    wrap: bool,
}

#[function_component(PanelView)]
fn panel_view(props: &PanelProps) -> Html {
    let copied = use_state(|| false);
    let copy = {
        let text = props.text.clone();
        let copied = copied.clone();
        Callback::from(move |_| {
            copy_text(&text);
            copied.set(true);
        })
    };
    {
        // Only when it said "Copied": a set state renders the pane again.
        let copied = copied.clone();
        use_effect_with(props.text.clone(), move |_| {
            if *copied {
                copied.set(false);
            }
        });
    }
    let save = {
        let (file, text) = (props.file.clone(), props.text.clone());
        let mime = match props.lang {
            Lang::Json => "application/json",
            Lang::Yaml => "application/yaml",
            Lang::Plain => "text/plain",
        };
        Callback::from(move |_| download(&file, &text, mime))
    };
    let slug = props.file.replace(['/', '.'], "-");
    html! {
        <section class="panel" data-file={props.file.clone()} aria-labelledby={format!("h-{slug}")}>
            <header>
                <h2 id={format!("h-{slug}")}>{ &props.title }</h2>
                <span class="file">{ &props.file }</span>
                <span class="actions">
                    <button type="button" onclick={copy} aria-label={format!("Copy {}", props.file)}>
                        { if *copied { "Copied" } else { "Copy" } }
                    </button>
                    <button type="button" onclick={save} aria-label={format!("Download {}", props.file)}>{ "Download" }</button>
                </span>
            </header>
            <Code text={props.text.clone()} lang={props.lang} wrap={props.wrap} />
        </section>
    }
}
