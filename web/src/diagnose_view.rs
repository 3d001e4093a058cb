//! Diagnose mode's page: paste the error, read the answer. Everything shown
//! comes from [`crate::diagnose`] (core's `diagnose`); the files are check
//! mode's, so the evidence names the files the user dropped there.

use std::rc::Rc;

use irsa_core::diagnose::{catalogue, Diagnosis};
use yew::prelude::*;

use crate::app::Dispatch;
use crate::diagnose::DiagnoseAction;
use crate::finding::diagnostic_line;
use crate::state::{Action, Mode, State};

/// A sample to show what goes in the box.
const PLACEHOLDER: &str = "e.g. An error occurred (AccessDenied) when calling the AssumeRoleWithWebIdentity operation: Not authorized to perform sts:AssumeRoleWithWebIdentity";

/// What the page is drawn from.
#[derive(Properties, PartialEq)]
pub(crate) struct DiagnoseProps {
    /// The whole playground state (diagnose's own, and check mode's files).
    pub(crate) state: Rc<State>,
    /// Where edits go.
    pub(crate) dispatch: Dispatch,
}

/// The shell's clock, in whole seconds: core has none.
fn now() -> Option<i64> {
    Some((js_sys::Date::now() / 1000.0).floor() as i64)
}

/// Diagnose mode: the error and token in, the answer out.
#[function_component(DiagnoseView)]
pub(crate) fn diagnose_view(props: &DiagnoseProps) -> Html {
    let s = &props.state.diagnose;
    let files = props.state.check.files.len();
    let edit = |make: fn(String, Option<i64>) -> DiagnoseAction| {
        let d = props.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let el: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            d.dispatch(Action::Diagnose(make(el.value(), now())));
        })
    };
    let on_message = edit(|text, now| DiagnoseAction::Message { text, now });
    let on_token = edit(|text, now| DiagnoseAction::Token { text, now });
    let to_check = {
        let d = props.dispatch.clone();
        Callback::from(move |_| d.dispatch(Action::SetMode(Mode::Check)))
    };
    html! {
        <div class="check diagnose" id="tab-diagnose-panel" role="tabpanel" aria-labelledby="tab-diagnose">
            <div class="check-in">
                <div class="field">
                    <label for="diag-message">{ "The error you got (SDK exception, aws CLI output, pod log, kubectl describe)" }</label>
                    <textarea id="diag-message" rows="8" spellcheck="false" placeholder={PLACEHOLDER}
                        value={s.message.clone()} oninput={on_message} />
                </div>
                <div class="field">
                    <label for="diag-token">{ "The pod's token (optional: decoded here, never verified, never sent)" }</label>
                    <textarea id="diag-token" rows="3" spellcheck="false" placeholder="eyJhbGciOi..."
                        value={s.token.clone()} oninput={on_token} />
                </div>
                <p class="muted" id="diag-files">
                    { match files {
                        0 => "No files: add your trust policy, ServiceAccount and workload in ".to_string(),
                        1 => "The evidence comes from the 1 file in ".to_string(),
                        n => format!("The evidence comes from the {n} files in "),
                    } }
                    <button type="button" class="link" onclick={to_check}>{ "Check" }</button>{ "." }
                </p>
            </div>
            <div class="check-out">
                <section class="box" aria-labelledby="h-answer" aria-live="polite">
                    { match &s.answer {
                        None => html! {
                            <>
                            <h2 id="h-answer">{ "The answer" }</h2>
                            <p class="muted">{ "Paste the error to see what it means, its cause in your files and the fix." }</p>
                            </>
                        },
                        Some(answer) => answer_view(answer),
                    } }
                </section>
            </div>
        </div>
    }
}

fn answer_view(a: &Diagnosis) -> Html {
    let Some(m) = a.message else {
        return html! {
            <>
            <h2 id="h-answer">{ "Not recognised" }</h2>
            <p>{ "The text is none of the messages irsa-gen knows. These are:" }</p>
            <ul class="known">
                { for a.known.iter().filter_map(|c| catalogue::message(c)).map(|m| html! {
                    <li><code class="code">{ m.code }</code>{ " " }{ m.title }</li>
                }) }
            </ul>
            </>
        };
    };
    let x = &a.extracted;
    let named: Vec<(&str, &String)> = [
        ("Role", &x.role_arn),
        ("Session", &x.session_name),
        ("Account", &x.account),
        ("Issuer", &x.issuer),
        ("Action", &x.action),
        ("Resource", &x.resource),
        ("Region", &x.region),
        ("Endpoint", &x.endpoint),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    html! {
        <>
        <h2 id="h-answer"><code class="code">{ m.code }</code>{ " " }{ m.title }</h2>
        <h3>{ "What happened" }</h3>
        <p>{ crate::diagnose::said(m.meaning) }</p>
        if !named.is_empty() {
            <h3>{ "The message names" }</h3>
            <dl class="named">
                { for named.iter().map(|(k, v)| html! { <><dt>{ *k }</dt><dd><code>{ v.as_str() }</code></dd></> }) }
            </dl>
        }
        if let Some(t) = &a.token {
            <h3>{ "The token" }</h3>
            if let Some(e) = &t.error {
                <p class="diag warning">{ e }</p>
            } else {
                <dl class="named">
                    <dt>{ "iss" }</dt><dd><code>{ t.iss.clone().unwrap_or_default() }</code></dd>
                    <dt>{ "sub" }</dt><dd><code>{ t.sub.clone().unwrap_or_default() }</code></dd>
                    <dt>{ "aud" }</dt><dd><code>{ t.aud.join(", ") }</code></dd>
                    if let Some(left) = t.expires_in {
                        <dt>{ "exp" }</dt><dd>{ if left < 0 { format!("expired {} s ago", -left) } else { format!("in {left} s") } }</dd>
                    }
                </dl>
            }
        }
        <h3>{ "Why" }</h3>
        <ul class="facts">{ for a.facts.iter().map(|f| html! { <li>{ f }</li> }) }</ul>
        if !a.evidence.is_empty() {
            <div class="evidence">{ for a.evidence.iter().map(diagnostic_line) }</div>
        }
        <h3>{ "Causes to look for" }</h3>
        <ul>{ for m.causes.iter().map(|c| html! { <li>{ crate::diagnose::said(c) }</li> }) }</ul>
        <h3>{ "Fix" }</h3>
        <p id="diag-fix">{ a.fix.clone().unwrap_or_default() }</p>
        <h3>{ "Confirm" }</h3>
        <pre class="confirm"><code>{ a.confirm.clone().unwrap_or_default() }</code></pre>
        </>
    }
}
