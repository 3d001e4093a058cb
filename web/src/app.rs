//! The browser shell: renders [`State`] with Yew and sends [`Action`]s back.
//! No rule lives here; everything the page shows comes from `state` (core).

use std::rc::Rc;

use gloo_storage::{LocalStorage, Storage};
use irsa_core::Severity;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::check::{CheckAction, SimField, MAX_FILE_BYTES};
use crate::diagnose_view::DiagnoseView;

/// The simulate options beside the names, as inputs: field, id, label, placeholder.
const SIM_FIELDS: &[(SimField, &str, &str, &str)] = &[
    (
        SimField::RoleArn,
        "sim-role",
        "Role ARN",
        "arn:aws:iam::111122223333:role/NAME (default: the trust's account)",
    ),
    (
        SimField::Account,
        "sim-account",
        "Role account",
        "when no role ARN: 111122223333",
    ),
    (
        SimField::Audience,
        "sim-aud",
        "Audience",
        "sts.amazonaws.com",
    ),
    (
        SimField::Issuer,
        "sim-issuer",
        "Issuer",
        "every provider the trust names",
    ),
];
use crate::finding::diagnostic_line;
use crate::highlight;
use crate::state::{Action, Lang, Mode, State};
use irsa_core::eval::Decision;

const STORAGE_KEY: &str = "irsa-gen:playground";
/// Check mode's files, `[name, text]` pairs: kept in this browser only.
const FILES_KEY: &str = "irsa-gen:check-files";

/// Mounts the playground on `<body>`.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[derive(PartialEq)]
pub(crate) struct Store(Rc<State>);

impl Reducible for Store {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        Rc::new(Store(Rc::new(self.0.reduce(action))))
    }
}

pub(crate) type Dispatch = UseReducerDispatcher<Store>;

/// The state to start from: the URL's query, else the last one kept, else blank.
fn initial_state() -> State {
    let query = web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default();
    let state = if query.trim_start_matches('?').is_empty() {
        let kept: String = LocalStorage::get(STORAGE_KEY).unwrap_or_default();
        State::from_query(&kept)
    } else {
        State::from_query(&query)
    };
    // A link's files (`f=`) win over the ones kept in this browser.
    let files: Vec<(String, String)> = crate::check_editor::files_of_query(&query)
        .unwrap_or_else(|| LocalStorage::get(FILES_KEY).unwrap_or_default());
    files.into_iter().fold(state, |s, (name, text)| {
        s.reduce(Action::Check(CheckAction::Add { name, text }))
    })
}

/// Keeps check mode's files in localStorage (never sent anywhere).
fn remember_files(files: &[(String, String)]) {
    let _ = if files.is_empty() {
        LocalStorage::delete(FILES_KEY);
        Ok(())
    } else {
        LocalStorage::set(FILES_KEY, files)
    };
}

/// Keeps the URL (`url_query`: the state and check mode's files) and
/// localStorage (the state's `query`) in step with the state.
fn remember(url_query: &str, query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = if url_query.is_empty() {
        path
    } else {
        format!("{path}?{url_query}")
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
    let _ = LocalStorage::set(STORAGE_KEY, query);
}

/// Keeps the URL and localStorage in step with `state` ([`remember`]). A
/// change of the form (a keystroke) is written once its frame is painted
/// and the page is idle (the last of a burst of keystrokes only):
/// the query deflates the form, a third of a keystroke's work, and the page
/// shows the keystroke first. Any other change (a tab, a toggle) is written
/// at once, and so is the first state.
#[hook]
fn use_remember_state(state: Rc<State>, link: Rc<crate::check_editor::FilesLink>) {
    // The form last seen, and the writes asked for (only the last one runs).
    let last_form = use_mut_ref(|| None::<crate::state::Form>);
    let asked = use_mut_ref(|| Rc::new(std::cell::Cell::new(0u64)));
    let asked = Rc::clone(&asked.borrow());
    use_effect_with(state, move |s| {
        let s = Rc::clone(s);
        let mine = asked.get() + 1;
        asked.set(mine);
        let typed = last_form
            .borrow()
            .as_ref()
            .is_some_and(|form| *form != s.form);
        *last_form.borrow_mut() = Some(s.form.clone());
        let write = move || {
            if asked.get() == mine {
                let query = s.to_query();
                remember(
                    &crate::check_editor::url_query(&query, &link, s.mode),
                    &query,
                );
            }
        };
        if typed {
            after_paint(write);
        } else {
            write();
        }
    });
}

/// Runs `f` once the next frame is painted and the page is idle (asked from
/// the frame's animation callback; a browser without idle callbacks runs it
/// in the next task), so a keystroke typed meanwhile goes first.
fn after_paint(f: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let then = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Some(window) = web_sys::window() else {
            return;
        };
        let f = wasm_bindgen::closure::Closure::once_into_js(f);
        if window.request_idle_callback(f.unchecked_ref()).is_err() {
            let _ = window.set_timeout_with_callback(f.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(then.unchecked_ref());
}

fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

pub(crate) fn copy_text(text: &str) {
    if let Some(w) = web_sys::window() {
        let _ = w.navigator().clipboard().write_text(text);
    }
}

/// A share button's click: copies the page's own link (the state is in it)
/// and marks `copied` so the button can say so.
pub(crate) fn copy_page_link<E>(copied: UseStateHandle<bool>) -> Callback<E> {
    Callback::from(move |_| {
        if let Some(href) = web_sys::window().and_then(|w| w.location().href().ok()) {
            copy_text(&href);
            copied.set(true);
        }
    })
}

/// Saves `text` as a file through a Blob URL (nothing leaves the page).
pub(crate) fn download(file: &str, text: &str, mime: &str) {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    save_blob(file, &parts, mime);
}

/// Saves bytes (a zip) as a file through a Blob URL.
pub(crate) fn download_bytes(file: &str, bytes: &[u8], mime: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    save_blob(file, &parts, mime);
}

fn save_blob(file: &str, parts: &js_sys::Array, mime: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file.rsplit('/').next().unwrap_or(file));
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

pub(crate) fn focus(id: &str) {
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

#[function_component(App)]
fn app() -> Html {
    let store = use_reducer(|| Store(Rc::new(initial_state())));
    let state = &store.0;
    let link = use_memo(state.check.files.clone(), |f| {
        crate::check_editor::files_link(f)
    });
    use_remember_state(store_rc(&store), link);
    let files: Vec<(String, String)> = state
        .check
        .files
        .iter()
        .map(|f| (f.name.clone(), f.text.clone()))
        .collect();
    use_effect_with(files, |f| remember_files(f));
    use_effect_with((), |_| mark("irsa-first-render"));
    let dispatch = store.dispatcher();

    let tab = |mode: Mode, label: &str, id: &str| {
        let d = dispatch.clone();
        let selected = state.mode == mode;
        html! {
            <button type="button" role="tab" id={id.to_string()} aria-selected={selected.to_string()}
                aria-controls={format!("{id}-panel")} tabindex={if selected { "0" } else { "-1" }}
                class={classes!("tab", selected.then_some("selected"))}
                onclick={Callback::from(move |_| d.dispatch(Action::SetMode(mode)))}>
                { label }
            </button>
        }
    };
    let on_tabs_key = {
        let d = dispatch.clone();
        let mode = state.mode;
        Callback::from(move |e: KeyboardEvent| {
            let next = match (e.key().as_str(), mode) {
                ("ArrowRight", Mode::Generate) | ("ArrowLeft", Mode::Diagnose) => Mode::Check,
                ("ArrowRight", Mode::Check) | ("ArrowLeft", Mode::Migrate) => Mode::Diagnose,
                ("ArrowRight", Mode::Diagnose) | ("ArrowLeft", Mode::Generate) => Mode::Migrate,
                ("ArrowRight", Mode::Migrate) | ("ArrowLeft", Mode::Check) => Mode::Generate,
                _ => return,
            };
            e.prevent_default();
            d.dispatch(Action::SetMode(next));
            focus(match next {
                Mode::Generate => "tab-generate",
                Mode::Check => "tab-check",
                Mode::Diagnose => "tab-diagnose",
                Mode::Migrate => "tab-migrate",
            });
        })
    };

    html! {
        <>
        <header class="top">
            <h1>{ "irsa-gen " }<span class="sub">{ "playground" }</span></h1>
            <p class="tagline">{ "IAM Roles for Service Accounts on EKS, generated and checked in your browser. Nothing you type leaves this page." }</p>
            <div class="tabs" role="tablist" aria-label="Mode" onkeydown={on_tabs_key}>
                { tab(Mode::Generate, "Generate", "tab-generate") }
                { tab(Mode::Check, "Check", "tab-check") }
                { tab(Mode::Diagnose, "Diagnose", "tab-diagnose") }
                { tab(Mode::Migrate, "Migrate", "tab-migrate") }
            </div>
        </header>
        <main>
        {
            match state.mode {
                Mode::Generate => html! { <crate::generate_view::GenerateView state={store_rc(&store)} dispatch={dispatch.clone()} /> },
                Mode::Check => html! { <CheckView state={store_rc(&store)} dispatch={dispatch.clone()} /> },
                Mode::Diagnose => html! { <DiagnoseView state={store_rc(&store)} dispatch={dispatch.clone()} /> },
                Mode::Migrate => html! { <crate::migrate_view::MigrateView state={store_rc(&store)} dispatch={dispatch.clone()} /> },
            }
        }
        </main>
        <footer class="foot">
            <span>{ format!("irsa-gen {}", irsa_core::VERSION) }</span>
            <span>{ "Runs offline: no request leaves this page after it loads." }</span>
        </footer>
        </>
    }
}

fn store_rc(store: &UseReducerHandle<Store>) -> Rc<State> {
    Rc::clone(&store.0)
}

/// An Allow from a trust check found errors in is no reason to trust it:
/// say so, with the findings' codes (IRSA004: no `sub` condition lets every
/// ServiceAccount of the cluster in, not only the one simulated).
fn allow_caveat(c: &crate::check::CheckState, file: &str) -> Html {
    let codes: Vec<&str> = c
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error && d.file.as_deref() == Some(file))
        .map(|d| d.code.as_str())
        .collect();
    if codes.is_empty() {
        return html! {};
    }
    html! {
        <p class="caveat diag warning">{ format!(
            "Allowed, but check found {} in this file ({}): this trust may let in more than this pod. See the findings.",
            if codes.len() == 1 { "an error".to_string() } else { format!("{} errors", codes.len()) },
            codes.join(", ")) }</p>
    }
}

/// The findings, or what their absence means: "no findings" only when
/// something was checked, and never for inputs check did not read.
fn findings_view(c: &crate::check::CheckState, findings: Vec<Html>) -> Html {
    let (checked, unchecked) = (c.inventory.checked(), c.inventory.unchecked());
    let what = c.inventory.describe();
    html! {
        <>
        if c.files.is_empty() {
            <p class="muted">{ "Nothing to check yet." }</p>
        } else if checked == 0 {
            <p class="diag warning" id="nothing-checked">{ format!("Nothing here was checked ({what}). Check reads IAM trust and permissions policies and Kubernetes manifests, as JSON or YAML.") }</p>
        } else if c.diagnostics.is_empty() && unchecked == 0 {
            <p class="ok">{ format!("No findings in {what}.") }</p>
            <p class="muted">{ "Check judges how the role, the ServiceAccount and the workloads fit together, not how much a permissions policy grants." }</p>
        } else if c.diagnostics.is_empty() {
            <p class="diag warning" id="nothing-checked">{ format!("No findings in what was checked, but not everything was: {what}.") }</p>
        }
        if !findings.is_empty() {
            <div class="finding-groups">{ for findings }</div>
        }
        </>
    }
}

#[derive(Properties, PartialEq)]
pub(crate) struct CodeProps {
    /// The text.
    pub text: String,
    /// Its language, for colouring.
    pub lang: Lang,
    /// The line to mark (check mode's selected finding).
    #[prop_or_default]
    pub highlight_line: Option<u32>,
    /// Show line numbers (CSS counters: not part of the text).
    #[prop_or_default]
    pub numbered: bool,
    /// Wrap long lines instead of scrolling sideways.
    #[prop_or(true)]
    pub wrap: bool,
}

/// Coloured text, one span per line, written as DOM nodes (never markup)
/// from [`highlight::Lines`]: when the text changes, only the tokens that
/// changed get their new text ([`highlight::Lines::edits`]), so the browser
/// parses nothing and lays out only them again. Yew renders the `<code>`
/// empty and never touches its children.
#[function_component(Code)]
pub(crate) fn code(props: &CodeProps) -> Html {
    let code_ref = use_node_ref();
    // The lines the DOM shows.
    let shown = use_mut_ref(highlight::Lines::default);
    {
        let code_ref = code_ref.clone();
        use_effect_with(
            (props.text.clone(), props.lang, props.highlight_line),
            move |(text, lang, hl)| {
                if let Some(code) = code_ref.cast::<web_sys::Element>() {
                    let next = shown.borrow().next(text, *lang, *hl);
                    write_lines(&code, &shown.borrow().edits(&next), &next);
                    *shown.borrow_mut() = next;
                }
            },
        );
    }
    html! {
        <pre class={classes!("code", props.numbered.then_some("numbered"), props.wrap.then_some("wrap"))} tabindex="0"><code ref={code_ref}></code></pre>
    }
}

/// Applies `edits` to `code`'s line spans (the DOM of the last lines), giving
/// the DOM of `next`.
fn write_lines(code: &web_sys::Element, edits: &[highlight::Edit], next: &highlight::Lines) {
    let Some(document) = code.owner_document() else {
        return;
    };
    let lines = code.children();
    for edit in edits {
        match edit {
            highlight::Edit::Token { line, token, text } => {
                let line = u32::try_from(*line).ok().and_then(|i| lines.item(i));
                let node = line.and_then(|l| l.child_nodes().item(u32::try_from(*token).ok()?));
                // A plain token is a text node; the others a span around one.
                let text_node = match &node {
                    Some(n) if n.node_type() == web_sys::Node::ELEMENT_NODE => n.first_child(),
                    _ => node,
                };
                if let Some(t) = text_node {
                    t.set_node_value(Some(text));
                }
            }
            highlight::Edit::Line(i) => {
                let Some(line) = next.parts(*i).and_then(|p| line_element(&document, &p)) else {
                    continue;
                };
                match u32::try_from(*i).ok().and_then(|i| lines.item(i)) {
                    Some(old) => {
                        let _ = old.replace_with_with_node_1(&line);
                    }
                    None => {
                        let _ = code.append_child(&line);
                    }
                }
            }
            highlight::Edit::Truncate(n) => {
                while lines.length() > u32::try_from(*n).unwrap_or(u32::MAX) {
                    match code.last_element_child() {
                        Some(last) => last.remove(),
                        None => break,
                    }
                }
            }
        }
    }
}

/// One line's `<span class="ln">`: its tokens (text nodes, or spans around
/// one), then a newline.
fn line_element(
    document: &web_sys::Document,
    parts: &highlight::LineParts<'_>,
) -> Option<web_sys::Element> {
    let line = document.create_element("span").ok()?;
    line.set_class_name(parts.class);
    if let Some(id) = parts.id {
        line.set_id(id);
    }
    let _ = line.set_attribute("data-line", &parts.number.to_string());
    for (class, tok) in &parts.tokens {
        if *class == highlight::Class::Plain {
            let _ = line.append_child(&document.create_text_node(tok));
        } else {
            let span = document.create_element("span").ok()?;
            span.set_class_name(class.css());
            span.set_text_content(Some(tok));
            let _ = line.append_child(&span);
        }
    }
    let _ = line.append_child(&document.create_text_node("\n"));
    Some(line)
}

#[derive(Properties, PartialEq)]
struct CheckProps {
    state: Rc<State>,
    dispatch: Dispatch,
}

pub(crate) fn check_dispatch(d: &Dispatch, a: CheckAction) {
    d.dispatch(Action::Check(a));
}

/// Reads one file's text in the page (nothing is uploaded), then calls `done`
/// with its name and text.
pub(crate) fn read_text_file(file: web_sys::File, done: impl FnOnce(String, String) + 'static) {
    let name = file.name();
    let promise = file.text();
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(text) = wasm_bindgen_futures::JsFuture::from(promise).await {
            done(name, text.as_string().unwrap_or_default());
        }
    });
}

/// Reads dropped or chosen files (in the page: nothing is uploaded).
fn read_files(files: Option<web_sys::FileList>, d: &Dispatch) {
    let Some(list) = files else {
        return;
    };
    for i in 0..list.length() {
        let Some(file) = list.get(i) else {
            continue;
        };
        let size = file.size();
        if size > MAX_FILE_BYTES as f64 {
            check_dispatch(
                d,
                CheckAction::TooLarge {
                    name: file.name(),
                    bytes: size,
                },
            );
            continue;
        }
        let d = d.clone();
        read_text_file(file, move |name, text| {
            check_dispatch(&d, CheckAction::Add { name, text })
        });
    }
}

#[function_component(CheckView)]
fn check_view(props: &CheckProps) -> Html {
    let c = &props.state.check;
    let d = &props.dispatch;
    let paste_name = use_state(String::new);
    let paste_text = use_state(String::new);
    let dragging = use_state(|| false);
    let link = use_memo(c.files.clone(), |f| crate::check_editor::files_link(f));
    {
        let selected = c.selected;
        use_effect_with(selected, |_| {
            if let Some(el) = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|doc| doc.get_element_by_id("hl-line"))
            {
                let options = web_sys::ScrollIntoViewOptions::new();
                options.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&options);
            }
        });
    }
    let on_drop = {
        let (d, dragging) = (d.clone(), dragging.clone());
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            read_files(e.data_transfer().and_then(|t| t.files()), &d);
        })
    };
    let on_dragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_dragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_choose = {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            read_files(input.files(), &d);
            input.set_value("");
        })
    };
    let on_add = {
        let (d, name, text) = (d.clone(), paste_name.clone(), paste_text.clone());
        Callback::from(move |_| {
            if text.trim().is_empty() {
                return;
            }
            check_dispatch(
                &d,
                CheckAction::Add {
                    name: (*name).clone(),
                    text: (*text).clone(),
                },
            );
            name.set(String::new());
            text.set(String::new());
        })
    };
    let text_input = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            handle.set(el.value());
        })
    };
    let on_paste_text = {
        let handle = paste_text.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            handle.set(el.value());
        })
    };
    let on_set = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            check_dispatch(&d, CheckAction::Set(el.value()));
        })
    };
    let sim_input = |make: fn(String) -> CheckAction| {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            check_dispatch(&d, make(el.value()));
        })
    };
    let sim_field = |field: SimField| {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let el: HtmlInputElement = e.target_unchecked_into();
            check_dispatch(&d, CheckAction::Sim(field, el.value()));
        })
    };
    let sim_context = {
        let d = d.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            check_dispatch(&d, CheckAction::Sim(SimField::Context, el.value()));
        })
    };
    let file_select = |make: fn(String) -> CheckAction| {
        let d = d.clone();
        Callback::from(move |e: Event| {
            let el: HtmlSelectElement = e.target_unchecked_into();
            check_dispatch(&d, make(el.value()));
        })
    };

    let files = c.files.iter().map(|f| {
        let (d1, d2, n1, n2) = (d.clone(), d.clone(), f.name.clone(), f.name.clone());
        let onchange = Callback::from(move |text| {
            check_dispatch(&d1, CheckAction::Add { name: n1.clone(), text })
        });
        let onremove = Callback::from(move |()| check_dispatch(&d2, CheckAction::Remove(n2.clone())));
        html! {
            <crate::check_editor::FileEditor key={f.name.clone()} name={f.name.clone()} text={f.text.clone()}
                highlight_line={c.highlighted_line(&f.name)} {onchange} onremove={Some(onremove)} wrap={props.state.editor_wrap} />
        }
    });

    let findings = crate::check_editor::finding_groups(c, d);

    let simulation = if c.namespace.trim().is_empty() || c.service_account.trim().is_empty() {
        html! { <p class="muted">{ "Type a namespace and a service account to see whether the trust policies let its pods assume the role." }</p> }
    } else if !c.sim_problems.is_empty() {
        html! { <ul class="sim-problems">{ for c.sim_problems.iter().map(|p| html! { <li class="error">{ p }</li> }) }</ul> }
    } else if c.simulations.is_empty() {
        html! { <p class="muted">{ "No file here is a trust policy core can evaluate." }</p> }
    } else {
        let word = |d: Decision| match d {
            Decision::Allow => "Allow",
            Decision::Deny => "Deny",
            Decision::Conditional => "Conditional",
        };
        html! {
            <ul class="decisions">
            { for c.simulations.iter().map(|t| {
                let class = match t.simulation.decision {
                    Decision::Allow => "allow",
                    Decision::Deny => "deny",
                    Decision::Conditional => "conditional",
                };
                html! {
                    <li class={classes!("decision", class)}>
                        <strong class="verdict">{ word(t.simulation.decision) }</strong>{ " " }
                        <code>{ &t.file }</code>
                        <p class="role muted">{ &t.simulation.role.note }</p>
                        if t.simulation.decision == Decision::Allow {
                            { allow_caveat(c, &t.file) }
                        }
                        <ul>
                        { for t.simulation.results.iter().map(|r| { let e = &r.evaluation; html! {
                            <li>
                                <span class="verdict-small">{ word(e.decision) }</span>
                                if !r.provider.is_empty() { { " " }<code>{ &r.provider }</code> }
                                { ": " }{ &e.reason }
                                if let Some(cond) = &e.condition { { " (" }<code>{ cond }</code>{ ")" } }
                                if !e.depends_on.is_empty() {
                                    <p class="depends">{ "Give a value for " }{ for e.depends_on.iter().map(|k| html! { <><code>{ k }</code>{ " " }</> }) }{ "under Context to decide." }</p>
                                }
                                { for e.foreign.iter().map(|f| html! {
                                    <p class="foreign">{ format!("Statement {} never applies: ", f.statement) }<code>{ &f.provider }</code>{ ": " }{ &f.reason }</p>
                                }) }
                            </li>
                        }}) }
                        </ul>
                    </li>
                }
            }) }
            </ul>
        }
    };

    let file_options = |chosen: &Option<String>| {
        html! {
            <>
            <option value="" selected={chosen.is_none()}>{ "automatic" }</option>
            { for c.files.iter().map(|f| html! {
                <option value={f.name.clone()} selected={chosen.as_deref() == Some(f.name.as_str())}>{ &f.name }</option>
            }) }
            </>
        }
    };
    let preview = match &c.preview {
        None if c.files.is_empty() => {
            html! { <p class="muted">{ "Add a ServiceAccount and a workload (Pod, Deployment...) to see the pod EKS admits." }</p> }
        }
        None => {
            html! { <p class="muted">{ "No pair of files here is a ServiceAccount and a workload that EKS's webhook would change. Pick the files above to see why." }</p> }
        }
        Some(p) => match &p.result {
            Ok(text) => html! {
                <>
                <p class="muted">{ format!("{} as EKS admits it, with {}:", p.workload_file, p.sa_file) }</p>
                <Code text={text.clone()} lang={Lang::of(&p.workload_file)} />
                </>
            },
            Err(diags) => html! {
                <div>{ for diags.iter().map(diagnostic_line) }</div>
            },
        },
    };

    html! {
        <div class="check" id="tab-check-panel" role="tabpanel" aria-labelledby="tab-check">
            <div class="check-in">
                <div class={classes!("drop", (*dragging).then_some("over"))}
                    ondrop={on_drop} ondragover={on_dragover} ondragleave={on_dragleave}>
                    <p>{ "Drop trust policies, permissions policies, ServiceAccounts, workloads, Terraform, CloudFormation and eksctl files here, or " }
                        <label class="file-button" for="check-files">{ "choose files" }</label></p>
                    <input id="check-files" class="visually-hidden" type="file" multiple=true
                        accept=".json,.yaml,.yml,.tpl,.tf,.tftpl,.template,application/json,application/yaml,text/plain" onchange={on_choose} />
                </div>
                <div class="paste">
                    <div class="field">
                        <label for="paste-name">{ "File name" }</label>
                        <input id="paste-name" type="text" placeholder="e.g. trust-policy.json" autocomplete="off" spellcheck="false"
                            value={(*paste_name).clone()} oninput={text_input(&paste_name)} />
                    </div>
                    <div class="field">
                        <label for="paste-text">{ "Paste a file" }</label>
                        <textarea id="paste-text" rows="8" spellcheck="false" value={(*paste_text).clone()} oninput={on_paste_text} />
                    </div>
                    <button type="button" onclick={on_add}>{ "Add and check" }</button>
                    if !c.files.is_empty() {
                        <button type="button" class="ghost" onclick={{
                            let d = d.clone();
                            Callback::from(move |_| check_dispatch(&d, CheckAction::Clear))
                        }}>{ "Remove all files" }</button>
                    }
                </div>
                <div class="field">
                    <label for="check-set">{ "Placeholder values (NAME=VALUE per line, like --set)" }</label>
                    <textarea id="check-set" rows="3" spellcheck="false" placeholder="ACCOUNT_ID=111122223333"
                        value={c.set_text.clone()} oninput={on_set} />
                    if let Some(e) = &c.set_error {
                        <p class="diag error" role="status">{ e }</p>
                    }
                </div>
                if let Some(notice) = &c.notice {
                    <p class="diag warning" role="status">{ notice }</p>
                }
                <crate::check_editor::ShareFiles link={(*link).clone()} />
                if !c.files.is_empty() {
                    { crate::check_editor::wrap_toggle(props.state.editor_wrap, d) }
                }
                { for files }
            </div>
            <div class="check-out">
                <section class="box" aria-labelledby="h-findings">
                    <h2 id="h-findings">{ format!("Findings ({})", c.diagnostics.len()) }</h2>
                    { findings_view(c, findings) }
                    if !c.summary.is_empty() {
                        <p class="muted" id="check-summary">{ c.summary.clone() }</p>
                    }
                </section>
                <section class="box" aria-labelledby="h-simulate">
                    <h2 id="h-simulate">{ "Simulate" }</h2>
                    <div class="sim-inputs">
                        <div class="field">
                            <label for="sim-ns">{ "Pod namespace" }</label>
                            <input id="sim-ns" type="text" autocomplete="off" spellcheck="false" placeholder="e.g. production"
                                value={c.namespace.clone()} oninput={sim_input(CheckAction::Namespace)} />
                        </div>
                        <div class="field">
                            <label for="sim-sa">{ "Pod service account" }</label>
                            <input id="sim-sa" type="text" autocomplete="off" spellcheck="false" placeholder="e.g. s3-writer"
                                value={c.service_account.clone()} oninput={sim_input(CheckAction::ServiceAccount)} />
                        </div>
                        { for SIM_FIELDS.iter().map(|(field, id, label, placeholder)| html! {
                            <div class="field">
                                <label for={*id}>{ *label }</label>
                                <input id={*id} type="text" autocomplete="off" spellcheck="false" placeholder={*placeholder}
                                    value={c.sim.value(*field).to_string()} oninput={sim_field(*field)} />
                            </div>
                        }) }
                        <div class="field">
                            <label for="sim-context">{ "Context" }</label>
                            <textarea id="sim-context" rows="2" spellcheck="false" placeholder="aws:SourceIp=10.1.2.3 (one KEY=VALUE a line)"
                                value={c.sim.context.clone()} oninput={sim_context} />
                        </div>
                    </div>
                    { simulation }
                </section>
                <section class="box" aria-labelledby="h-preview">
                    <h2 id="h-preview">{ "The pod as EKS admits it" }</h2>
                    if !c.files.is_empty() {
                        <div class="sim-inputs">
                            <div class="field">
                                <label for="pv-sa">{ "ServiceAccount from" }</label>
                                <select id="pv-sa" onchange={file_select(CheckAction::SaFile)}>{ file_options(&c.sa_file) }</select>
                            </div>
                            <div class="field">
                                <label for="pv-w">{ "Workload from" }</label>
                                <select id="pv-w" onchange={file_select(CheckAction::WorkloadFile)}>{ file_options(&c.workload_file) }</select>
                            </div>
                        </div>
                    }
                    { preview }
                </section>
            </div>
        </div>
    }
}
