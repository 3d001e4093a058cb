//! Check mode as an editor: each file is a textarea laid over its highlighted,
//! line-numbered text ([`crate::highlight`]); findings follow the typing
//! (checked 150 ms after the last keystroke), sorted by severity and grouped
//! by file; the files ride in the URL as `f=` (deflated, base64url, like the
//! form's `s=`), up to [`MAX_LINK_BYTES`], so a reload or a shared link
//! brings them back.
//!
//! The link codec and the grouping are pure and tested natively; the
//! components build only for wasm32.

use irsa_core::check::SourceFile;
use irsa_core::Severity;

use crate::check::{CheckState, MAX_FILES, MAX_FILE_BYTES};
use crate::share;
use crate::state::{decode, Mode};

/// The query key of the files.
pub const LINK_KEY: &str = "f";
/// The most a link's `f=` value may take (16 KiB): browsers and chat tools
/// cut longer URLs, so past it the files stay in this browser only.
pub const MAX_LINK_BYTES: usize = 16 * 1024;
/// The most text an `f=` value expands to (a deflate bomb stops here).
const MAX_UNPACKED: usize = 1024 * 1024;

/// The files as a link holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FilesLink {
    /// No files.
    Empty,
    /// The `f=` value.
    Packed(String),
    /// Packed, the files take this many bytes: more than [`MAX_LINK_BYTES`].
    TooLarge(usize),
}

/// The files packed for a link: `[[name, text], ...]` as JSON, deflated.
pub fn files_link(files: &[SourceFile]) -> FilesLink {
    if files.is_empty() {
        return FilesLink::Empty;
    }
    let pairs: Vec<(&str, &str)> = files
        .iter()
        .map(|f| (f.name.as_str(), f.text.as_str()))
        .collect();
    let json = serde_json::to_string(&pairs).unwrap_or_default();
    let packed = share::pack(&json);
    if packed.len() > MAX_LINK_BYTES {
        FilesLink::TooLarge(packed.len())
    } else {
        FilesLink::Packed(packed)
    }
}

/// The URL's query: the state's, then the files in check and diagnose mode
/// (generate mode's link is the form's alone).
pub fn url_query(state_query: &str, link: &FilesLink, mode: Mode) -> String {
    match (link, mode) {
        (FilesLink::Packed(packed), Mode::Check | Mode::Diagnose) => {
            if state_query.is_empty() {
                format!("{LINK_KEY}={packed}")
            } else {
                format!("{state_query}&{LINK_KEY}={packed}")
            }
        }
        _ => state_query.to_string(),
    }
}

/// The files an URL query holds as `f=` (`None`: it holds none, or junk);
/// at most [`MAX_FILES`], each at most [`MAX_FILE_BYTES`] as check mode takes them.
pub fn files_of_query(query: &str) -> Option<Vec<(String, String)>> {
    let value = query
        .trim_start_matches('?')
        .split('&')
        .find_map(|pair| pair.strip_prefix("f="))?;
    let text = share::unpack_within(&decode(value), MAX_UNPACKED)?;
    let pairs: Vec<(String, String)> = serde_json::from_str(&text).ok()?;
    Some(
        pairs
            .into_iter()
            .filter(|(_, text)| text.len() <= MAX_FILE_BYTES)
            .take(MAX_FILES)
            .collect(),
    )
}

/// Findings of one file (or of none), as indexes into the state's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The file; `None` for the findings about the set ("Across the files").
    pub file: Option<String>,
    /// Indexes into [`CheckState::diagnostics`], errors first, then
    /// warnings, then notes; within one, core's order (line, column).
    pub findings: Vec<usize>,
}

/// The findings grouped by file, in the files' order, then the findings
/// that name no file of the set.
pub fn groups(c: &CheckState) -> Vec<Group> {
    let by_severity = |mut ix: Vec<usize>| {
        ix.sort_by_key(|i| c.diagnostics.get(*i).map_or(Severity::Info, |d| d.severity));
        ix
    };
    let of_file = |name: Option<&str>| -> Vec<usize> {
        c.diagnostics
            .iter()
            .enumerate()
            .filter(|(_, d)| match name {
                Some(n) => d.file.as_deref() == Some(n),
                None => !d
                    .file
                    .as_deref()
                    .is_some_and(|f| c.files.iter().any(|x| x.name == f)),
            })
            .map(|(i, _)| i)
            .collect()
    };
    let mut out: Vec<Group> = c
        .files
        .iter()
        .map(|f| Group {
            file: Some(f.name.clone()),
            findings: by_severity(of_file(Some(&f.name))),
        })
        .filter(|g| !g.findings.is_empty())
        .collect();
    let across = by_severity(of_file(None));
    if !across.is_empty() {
        out.push(Group {
            file: None,
            findings: across,
        });
    }
    out
}

/// The text the highlighted layer shows under the textarea: a last empty
/// line (after a final newline) still takes its line, so both stay the
/// same height.
pub fn layer_text(text: &str) -> String {
    if text.is_empty() || text.ends_with('\n') {
        format!("{text} ")
    } else {
        text.to_string()
    }
}

#[cfg(target_arch = "wasm32")]
pub(crate) use view::{finding_groups, wrap_toggle, FileEditor, ShareFiles};

#[cfg(target_arch = "wasm32")]
mod view {
    use std::cell::Cell;
    use std::rc::Rc;
    use std::time::Duration;

    use yew::prelude::*;

    use super::{groups, layer_text, FilesLink};
    use crate::app::{check_dispatch, copy_page_link, Dispatch};
    use crate::check::{CheckAction, CheckState};
    use crate::finding::finding_parts;
    use crate::highlight;
    use crate::state::{Action, Lang};

    /// Findings are checked this long after the last keystroke.
    const DEBOUNCE: Duration = Duration::from_millis(150);

    #[derive(Properties, PartialEq)]
    pub(crate) struct EditorProps {
        pub name: String,
        pub text: String,
        pub highlight_line: Option<u32>,
        /// The text once typing pauses (check mode: the file checked again).
        pub onchange: Callback<String>,
        /// The "Remove" button's action, when the file can be removed.
        #[prop_or_default]
        pub onremove: Option<Callback<()>>,
        /// Long lines wrap (the state's `editor_wrap`), else the editor scrolls sideways.
        #[prop_or(true)]
        pub wrap: bool,
    }

    /// One file, editable in place: the textarea (transparent text, visible
    /// caret) over the highlighted lines, which follow every keystroke;
    /// `onchange` runs once typing pauses. Check mode's files and migrate
    /// mode's trusts.
    #[function_component(FileEditor)]
    pub(crate) fn file_editor(props: &EditorProps) -> Html {
        let local = use_state(|| props.text.clone());
        // Bumped on every keystroke: a pending check runs only if no later one came.
        let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
        let pending = use_mut_ref(|| Rc::new(Cell::new(false)));
        {
            let (local, pending) = (local.clone(), Rc::clone(&pending.borrow()));
            use_effect_with(props.text.clone(), move |text| {
                // The state's text changed (a drop, a reload): show it,
                // unless the user typed since (their text wins).
                if !pending.get() && *local != *text {
                    local.set(text.clone());
                }
            });
        }
        let name = props.name.clone();
        let oninput = {
            let (local, onchange) = (local.clone(), props.onchange.clone());
            let (generation, pending) = (
                Rc::clone(&generation.borrow()),
                Rc::clone(&pending.borrow()),
            );
            Callback::from(move |e: InputEvent| {
                let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
                let text = el.value();
                local.set(text.clone());
                let mine = generation.get() + 1;
                generation.set(mine);
                pending.set(true);
                let (onchange, generation, pending) = (
                    onchange.clone(),
                    Rc::clone(&generation),
                    Rc::clone(&pending),
                );
                yew::platform::spawn_local(async move {
                    yew::platform::time::sleep(DEBOUNCE).await;
                    if generation.get() == mine {
                        pending.set(false);
                        onchange.emit(text);
                    }
                });
            })
        };
        let remove = props
            .onremove
            .clone()
            .map(|r| Callback::from(move |_: MouseEvent| r.emit(())));
        let lang = Lang::of(&name);
        let markup = use_memo(
            ((*local).clone(), lang, props.highlight_line),
            |(text, lang, hl)| AttrValue::from(highlight::to_html(&layer_text(text), *lang, *hl)),
        );
        let lines = local.lines().count();
        let wrap = props.wrap;
        html! {
            <section class="panel" data-file={name.clone()}>
                <header>
                    <h2>{ &name }</h2>
                    <span class="file">{ format!("{lines} lines, edit in place") }</span>
                    if let Some(remove) = remove {
                        <span class="actions">
                            <button type="button" onclick={remove} aria-label={format!("Remove {name}")}>{ "Remove" }</button>
                        </span>
                    }
                </header>
                <div class={classes!("editor", wrap.then_some("wrap"))}>
                    <div class="editor-inner">
                        <pre class={classes!("code", "numbered", wrap.then_some("wrap"))} aria-hidden="true"><code>{ Html::from_html_unchecked((*markup).clone()) }</code></pre>
                        <textarea class="editor-input" aria-label={format!("Text of {name}")} spellcheck="false"
                            autocomplete="off" autocapitalize="off" wrap={if wrap { "soft" } else { "off" }}
                            value={(*local).clone()} {oninput} />
                    </div>
                </div>
            </section>
        }
    }

    /// The editors' "Wrap lines" switch (one for every editor of the mode,
    /// kept in the URL as `ewrap=off` when off).
    pub(crate) fn wrap_toggle(on: bool, d: &Dispatch) -> Html {
        let toggle = {
            let d = d.clone();
            Callback::from(move |_| d.dispatch(Action::EditorWrap(!on)))
        };
        html! {
            <p class="editor-wrap">
                <button type="button" aria-pressed={on.to_string()} onclick={toggle}
                    title="Wrap the long lines of the files below instead of scrolling sideways">{ "Wrap long lines" }</button>
            </p>
        }
    }

    /// The findings, one list per file (errors first), then those about the
    /// set as a whole.
    pub(crate) fn finding_groups(c: &CheckState, d: &Dispatch) -> Vec<Html> {
        groups(c)
            .into_iter()
            .map(|g| {
                let title = g
                    .file
                    .clone()
                    .unwrap_or_else(|| "Across the files".to_string());
                let items = g
                    .findings
                    .iter()
                    .filter_map(|i| c.diagnostics.get(*i).map(|diag| finding(c, d, *i, diag)));
                html! {
                    <section class="finding-group" data-group={g.file.clone().unwrap_or_default()}>
                        <h3>{ title }{ format!(" ({})", g.findings.len()) }</h3>
                        <ul class="findings">{ for items }</ul>
                    </section>
                }
            })
            .collect()
    }

    fn finding(c: &CheckState, d: &Dispatch, i: usize, diag: &irsa_core::Diagnostic) -> Html {
        let on = c.selected == Some(i);
        let select = {
            let d = d.clone();
            Callback::from(move |_| {
                check_dispatch(&d, CheckAction::Select(if on { None } else { Some(i) }))
            })
        };
        html! {
            <li>
                <button type="button" class={classes!("finding", "diag", diag.severity.as_str(), on.then_some("selected"))}
                    aria-pressed={on.to_string()} onclick={select}>
                    { finding_parts(diag) }
                </button>
            </li>
        }
    }

    #[derive(Properties, PartialEq)]
    pub(crate) struct ShareProps {
        pub link: FilesLink,
    }

    /// The share button of check mode, and why a link holds no files when
    /// they are too large for one.
    #[function_component(ShareFiles)]
    pub(crate) fn share_files(props: &ShareProps) -> Html {
        let shared = use_state(|| false);
        {
            let shared = shared.clone();
            use_effect_with(props.link.clone(), move |_| shared.set(false));
        }
        let share = copy_page_link(shared.clone());
        html! {
            <div class="share-files">
                if props.link != FilesLink::Empty {
                    <button type="button" onclick={share} title="Copy this page's link: the files are in it">
                        { if *shared { "Link copied" } else { "Copy share link" } }
                    </button>
                }
                if let FilesLink::TooLarge(bytes) = props.link {
                    <p class="diag warning" id="link-too-large" role="status">{ format!(
                        "These files are too large for a link: {} KiB packed, a link holds at most {} KiB. The link (and a reload) keeps the form but not the files; they stay in this browser only. Remove a file or shorten one to share them.",
                        bytes.div_ceil(1024), super::MAX_LINK_BYTES / 1024) }</p>
                }
            </div>
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::CheckAction;

    fn file(name: &str, text: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    #[test]
    fn files_round_trip_through_the_link() {
        let files = vec![
            file("a b&c.json", "{\"x\": \"é\"}\n"),
            file("sa.yaml", "kind: ServiceAccount\n"),
        ];
        let FilesLink::Packed(packed) = files_link(&files) else {
            panic!("small files fit");
        };
        let query = url_query(
            "mode=check",
            &FilesLink::Packed(packed.clone()),
            Mode::Check,
        );
        assert_eq!(query, format!("mode=check&f={packed}"));
        let back = files_of_query(&format!("?{query}")).unwrap();
        assert_eq!(
            back,
            files
                .iter()
                .map(|f| (f.name.clone(), f.text.clone()))
                .collect::<Vec<_>>()
        );
        // Generate mode's link is the form's alone.
        assert_eq!(
            url_query("", &FilesLink::Packed(packed), Mode::Generate),
            ""
        );
        assert_eq!(files_link(&[]), FilesLink::Empty);
        assert_eq!(files_of_query("mode=check"), None);
        assert_eq!(files_of_query("f=junk!"), None);
    }

    #[test]
    fn files_past_the_limit_are_not_in_the_link() {
        // Text deflate cannot shrink: a simple generator's digits.
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        let noise: String = (0..40_000)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                char::from(b'a' + u8::try_from(x % 26).unwrap())
            })
            .collect();
        let link = files_link(&[file("big.yaml", &noise)]);
        assert!(
            matches!(link, FilesLink::TooLarge(n) if n > MAX_LINK_BYTES),
            "{link:?}"
        );
        assert_eq!(url_query("mode=check", &link, Mode::Check), "mode=check");
    }

    #[test]
    fn findings_are_grouped_by_file_errors_first_then_across_the_files() {
        let trust = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Federated":"arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9"},"Action":"sts:AssumeRoleWithWebIdentity"}]}"#;
        let s = CheckState::default()
            .reduce(CheckAction::Add {
                name: "values.yaml".into(),
                text: "replicaCount: 2\n".into(),
            })
            .reduce(CheckAction::Add {
                name: "trust.json".into(),
                text: trust.into(),
            })
            .reduce(CheckAction::Set("UNUSED=1".into()));
        let g = groups(&s);
        let files: Vec<Option<&str>> = g.iter().map(|g| g.file.as_deref()).collect();
        let total: usize = g.iter().map(|g| g.findings.len()).sum();
        assert_eq!(total, s.diagnostics.len(), "every finding in one group");
        for group in &g {
            let sev: Vec<Severity> = group
                .findings
                .iter()
                .map(|i| s.diagnostics[*i].severity)
                .collect();
            assert!(sev.windows(2).all(|w| w[0] <= w[1]), "{sev:?}");
            for i in group.findings.iter().filter(|_| group.file.is_some()) {
                assert_eq!(s.diagnostics[*i].file.as_deref(), group.file.as_deref());
            }
        }
        // The files' order, then the unused --set value, which names no file.
        let trust_at = files.iter().position(|f| *f == Some("trust.json")).unwrap();
        assert!(files
            .iter()
            .take(trust_at)
            .all(|f| *f == Some("values.yaml")));
        assert_eq!(files.last(), Some(&None), "{files:?}");
        // The trust's IRSA004 fix names its own issuer (core's fixes).
        let irsa004 = s.diagnostics.iter().find(|d| d.code == "IRSA004").unwrap();
        assert!(
            irsa004.help.contains(
                "oidc.eks.eu-west-1.amazonaws.com/id/0A1B2C3D4E5F60718293A4B5C6D7E8F9:sub"
            ),
            "{}",
            irsa004.help
        );
    }

    #[test]
    fn the_editors_wrap_by_default_and_off_rides_in_the_url() {
        use crate::state::{Action, State};
        let s = State::default();
        assert!(s.editor_wrap);
        assert_eq!(s.to_query(), "");
        let off = s.reduce(Action::EditorWrap(false));
        assert_eq!(off.to_query(), "ewrap=off");
        assert!(!State::from_query(&off.to_query()).editor_wrap);
        // The code panes' switch is another one.
        assert!(State::from_query("ewrap=off").wrap);
        assert!(State::from_query("wrap=off").editor_wrap);
    }

    #[test]
    fn the_layer_keeps_a_last_empty_line() {
        assert_eq!(layer_text("a\n"), "a\n ");
        assert_eq!(layer_text(""), " ");
        assert_eq!(layer_text("a"), "a");
    }
}
