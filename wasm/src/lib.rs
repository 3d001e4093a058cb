//! irsa-gen for JavaScript: a thin wasm-bindgen layer over `irsa-core`.
//!
//! Values cross the boundary as JSON text: a spec object is turned into text
//! with `JSON.stringify` and given to the same [`irsa_core::load_spec`] rules
//! the CLI uses; results are serialized with serde and parsed back with
//! `JSON.parse`, so JavaScript sees plain objects and arrays. The pure part,
//! [`api`], is tested natively. The TypeScript types are hand-written in
//! `wasm/js/index.d.ts` and checked against these Rust types by a test.
//!
//! The exports come in two features, one wasm module each in the npm package
//! (`scripts/build-npm`): `generate` (`validateSpec`, `generate`) and `check`
//! (`check`, `simulate`, `simulatePolicy`, `inject`, `diagnose`); `version`
//! is in both. Code only one half calls is not in the other's module.
//! `migrate` and `migrateTrust` (feature `migrate`, which needs `generate`)
//! are in the full module only. Feature `element` is the custom elements'
//! own module: `renderElement` only, the attributes' spec generated without
//! the spec file reader ([`api::element`]).
//!
//! Nothing throws for a user mistake: an invalid spec, an unreadable policy or
//! manifest is `{ ok: false, diagnostics }`. A `TypeError` means the function was called
//! with arguments of the wrong type (say, options that are not an object).

pub mod api;

#[cfg(any(feature = "generate", feature = "check"))]
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[cfg(feature = "generate")]
use api::{SpecInput, SpecOptions};

/// The package version.
#[wasm_bindgen(skip_typescript)]
pub fn version() -> String {
    irsa_core::VERSION.to_string()
}

#[cfg(feature = "generate")]
/// `validateSpec(spec, options?)`: `{ ok: true, spec, warnings } | { ok: false, diagnostics }`.
#[wasm_bindgen(js_name = validateSpec, skip_typescript)]
pub fn validate_spec(spec: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options: SpecOptions = from_js(&options, "options")?;
    let result = with_spec(&spec, options.file.as_deref(), |input| {
        Ok(api::validate_spec(input))
    })?;
    to_js(&result)
}

#[cfg(feature = "generate")]
/// `generate(spec, options?)`: `{ ok: true, bindings, warnings } | { ok: false, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn generate(spec: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let options: SpecOptions = from_js(&options, "options")?;
    let result = with_spec(&spec, options.file.as_deref(), |input| {
        api::generate(input).map_err(|e| js_sys::Error::new(&e.to_string()).into())
    })?;
    to_js(&result)
}

#[cfg(feature = "migrate")]
/// `migrate(spec, { to, file?, workloads? })`: `{ ok: true, direction, diagnostics, warnings, phases, files } | { ok: false, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn migrate(spec: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    if options.is_undefined() || options.is_null() {
        return Err(type_error(
            "options must be { to: \"pod-identity\" | \"irsa\", file?, workloads? }",
        ));
    }
    let options: api::migrate::MigrateInputOptions = parse_js(&options, "options")?;
    let result = with_spec(&spec, options.file.as_deref(), |input| {
        api::migrate::migrate(input, &options)
            .map_err(|e| js_sys::Error::new(&e.to_string()).into())
    })?;
    to_js(&result)
}

#[cfg(feature = "migrate")]
/// `migrateTrust(trust, { to, issuer, clusterArn?, file?, targetRoleArn?, sourceRoleName?, sourceTrust? })`:
/// `{ ok: true, direction, diagnostics, phases, files } | { ok: false, diagnostics }`.
#[wasm_bindgen(js_name = migrateTrust, skip_typescript)]
pub fn migrate_trust(trust: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let Some(text) = trust.as_string() else {
        return Err(type_error(
            "trust must be the trust policy's text, a string",
        ));
    };
    if options.is_undefined() || options.is_null() {
        return Err(type_error(
            "options must be { to: \"pod-identity\" | \"irsa\", issuer, clusterArn?, file?, targetRoleArn?, sourceRoleName?, sourceTrust? }",
        ));
    }
    let options: api::migrate::MigrateTrustInputOptions = parse_js(&options, "options")?;
    let result = api::migrate::migrate_trust(&text, &options).map_err(|e| type_error(&e))?;
    to_js(&result)
}

#[cfg(feature = "element")]
/// `renderElement(spec, kind)`: `{ ok: true, artefact: { file, text } | null, warnings } | { ok: false, diagnostics }`,
/// for the custom elements only (`wasm/js/element.js`): `spec` is what
/// `specFromAttributes` returns (strings; `serviceAccount` a string or a list of them).
#[wasm_bindgen(js_name = renderElement, skip_typescript)]
pub fn render_element(spec: JsValue, kind: String) -> Result<JsValue, JsValue> {
    let text = |object: &JsValue, key: &str| {
        js_sys::Reflect::get(object, &JsValue::from_str(key))
            .ok()
            .and_then(|v| v.as_string())
    };
    let binding = js_sys::Reflect::get(&spec, &JsValue::from_str("bindings"))
        .ok()
        .map(|b| js_sys::Array::from(&b).get(0))
        .unwrap_or(JsValue::UNDEFINED);
    let service_accounts = js_sys::Reflect::get(&binding, &JsValue::from_str("serviceAccount"))
        .unwrap_or(JsValue::UNDEFINED);
    let service_accounts = match service_accounts.as_string() {
        Some(one) => vec![one],
        None if js_sys::Array::is_array(&service_accounts) => {
            js_sys::Array::from(&service_accounts)
                .iter()
                .filter_map(|v| v.as_string())
                .collect()
        }
        None => Vec::new(),
    };
    let input = api::element::ElementSpec {
        account_id: text(&spec, "accountId"),
        region: text(&spec, "region"),
        cluster: text(&spec, "cluster"),
        cluster_name: text(&spec, "clusterName"),
        pod_identity: text(&spec, "identityType").as_deref() == Some("pod-identity"),
        audience: text(&spec, "audience"),
        namespace: text(&binding, "namespace"),
        service_accounts,
        role_name: text(&binding, "roleName"),
        role_path: text(&binding, "rolePath"),
    };
    let result = api::element::render(input, &kind)
        .map_err(|e| JsValue::from(js_sys::Error::new(&e.to_string())))?;
    to_js(&result)
}

#[cfg(feature = "check")]
/// `check(files, options?)`: `{ ok, diagnostics }`, `ok` false on an error-level finding.
#[wasm_bindgen(skip_typescript)]
pub fn check(files: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    if !js_sys::Array::is_array(&files) {
        return Err(type_error(
            "files must be an array of { name, text } (the text of each file)",
        ));
    }
    let files: Vec<api::FileInput> = from_js(&files, "files")?;
    let options: api::CheckInputOptions = from_js(&options, "options")?;
    let result = api::check(files, &options).map_err(|e| type_error(&e))?;
    to_js(&result)
}

#[cfg(feature = "check")]
/// `simulate(trust, claims, options?)`: `{ ok: true, decision, role, results } | { ok: false, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn simulate(trust: JsValue, claims: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    if claims.is_undefined() || claims.is_null() {
        return Err(type_error(
            "claims must be { namespace, serviceAccount, audience?, issuer?, roleArn?, account?, context? }",
        ));
    }
    let claims: api::ClaimsInput = parse_js(&claims, "claims")?;
    let options: api::SimulateInputOptions = from_js(&options, "options")?;
    let result = match document(&trust, "trust policy") {
        Ok((text, object)) => api::simulate(doc(&text, object), claims, &options),
        Err(d) => api::Tagged::err(vec![*d]),
    };
    to_js(&result)
}

#[cfg(feature = "check")]
/// `inject(serviceAccount, workload, options?)`: `{ ok: true, text, document } | { ok: false, diagnostics }`.
#[wasm_bindgen(skip_typescript)]
pub fn inject(
    service_account: JsValue,
    workload: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options: api::InjectInputOptions = from_js(&options, "options")?;
    let result = match (
        document(&service_account, "ServiceAccount"),
        document(&workload, "workload"),
    ) {
        (Ok((sa, sa_object)), Ok((w, w_object))) => {
            api::inject(doc(&sa, sa_object), doc(&w, w_object), &options)
        }
        (sa, w) => api::Tagged::err(sa.err().into_iter().chain(w.err()).map(|d| *d).collect()),
    };
    to_js(&result)
}

#[cfg(feature = "check")]
/// `diagnose(message, options?)`: the answer `irsa-gen diagnose --format json` prints.
#[wasm_bindgen(skip_typescript)]
pub fn diagnose(message: JsValue, options: JsValue) -> Result<JsValue, JsValue> {
    let Some(message) = message.as_string() else {
        return Err(type_error("message must be the error text, a string"));
    };
    let options: api::DiagnoseInputOptions = from_js(&options, "options")?;
    // The shell's clock, in whole seconds: core has none.
    let clock = Some((js_sys::Date::now() / 1000.0).floor() as i64);
    to_js(&api::diagnose(&message, options, clock))
}

#[cfg(feature = "check")]
/// `simulatePolicy(policies, request)`: `{ ok: true, decision, statement, reason, ... } | { ok: false, diagnostics }`.
#[wasm_bindgen(js_name = simulatePolicy, skip_typescript)]
pub fn simulate_policy(policies: JsValue, request: JsValue) -> Result<JsValue, JsValue> {
    if !js_sys::Array::is_array(&policies) {
        return Err(type_error(
            "policies must be an array of { name, text } (the text of each policy file)",
        ));
    }
    let policies: Vec<api::FileInput> = parse_js(&policies, "policies")?;
    let request: api::PolicyRequestInput = parse_js(&request, "request")?;
    to_js(&api::simulate_policy(policies, request))
}

#[cfg(feature = "check")]
fn doc(text: &str, object: bool) -> api::DocInput<'_> {
    if object {
        api::DocInput::Object(text)
    } else {
        api::DocInput::Text(text)
    }
}

#[cfg(feature = "check")]
/// A document's text, and whether it came from an object.
fn document(value: &JsValue, what: &str) -> Result<(String, bool), Box<irsa_core::Diagnostic>> {
    if let Some(text) = value.as_string() {
        return Ok((text, false));
    }
    if value.is_undefined() {
        return Ok((String::new(), true));
    }
    match js_sys::JSON::stringify(value) {
        Ok(json) => Ok((json.as_string().unwrap_or_default(), true)),
        Err(e) => Err(Box::new(api::unserializable_document(
            what,
            &error_message(&e),
        ))),
    }
}

#[cfg(feature = "generate")]
/// Calls `f` with the spec as text, or returns a failure for an object JSON cannot hold.
fn with_spec<T: Serialize>(
    spec: &JsValue,
    file: Option<&str>,
    f: impl FnOnce(SpecInput<'_>) -> Result<api::Tagged<T>, JsValue>,
) -> Result<api::Tagged<T>, JsValue> {
    if let Some(text) = spec.as_string() {
        return f(SpecInput::Text { text: &text, file });
    }
    if spec.is_undefined() {
        return f(SpecInput::Object("null"));
    }
    match js_sys::JSON::stringify(spec) {
        Ok(json) => {
            let json = json.as_string().unwrap_or_else(|| "null".to_string());
            f(SpecInput::Object(&json))
        }
        Err(e) => Ok(api::Tagged::err(vec![api::unserializable_spec(
            &error_message(&e),
        )])),
    }
}

#[cfg(any(feature = "generate", feature = "check"))]
/// A plain-data argument (`undefined` and `null` give the default).
fn from_js<T: DeserializeOwned + Default>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    parse_js(value, what)
}

#[cfg(any(feature = "generate", feature = "check"))]
/// A plain-data argument.
fn parse_js<T: DeserializeOwned>(value: &JsValue, what: &str) -> Result<T, JsValue> {
    let json = js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| type_error(&format!("{what} must be plain data")))?;
    serde_json::from_str(&json).map_err(|e| type_error(&format!("invalid {what}: {e}")))
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    let json = serde_json::to_string(value).map_err(|e| js_sys::Error::new(&e.to_string()))?;
    js_sys::JSON::parse(&json)
}

#[cfg(any(feature = "generate", feature = "check"))]
fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

#[cfg(any(feature = "generate", feature = "check"))]
fn error_message(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| {
            let message = String::from(e.message());
            message.lines().next().unwrap_or_default().to_string()
        })
        .unwrap_or_else(|| "not plain data".to_string())
}
