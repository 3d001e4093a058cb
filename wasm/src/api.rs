//! The JavaScript-facing results, as plain Rust values (tested natively).
//!
//! Every function returns a tagged result that serializes to
//! `{ "ok": true, ... }` or `{ "ok": false, "diagnostics": [...] }`; the
//! diagnostics are [`irsa_core::Diagnostic`]s exactly as the CLI's
//! `--format json` prints them. Nothing here decides anything about IRSA:
//! it calls `irsa-core` and reshapes the answer for JavaScript.

use irsa_core::generate::RenderError;
use irsa_core::{Bundle, Diagnostic, ValidSpec, Validated};
use serde::{Deserialize, Serialize};

/// A spec as JavaScript gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecInput<'a> {
    /// YAML or JSON text, as in a spec file; `file` names it in diagnostics.
    Text {
        /// The text.
        text: &'a str,
        /// The file name diagnostics carry.
        file: Option<&'a str>,
    },
    /// A JavaScript object turned into JSON text by `JSON.stringify`.
    Object(&'a str),
}

/// Options of `generate` and `validateSpec`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SpecOptions {
    /// The file name diagnostics of a text spec carry.
    pub file: Option<String>,
}

/// `{ ok: true, ...value }` or `{ ok: false, diagnostics }`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Tagged<T> {
    /// Success.
    Ok(Success<T>),
    /// Failure: every problem found.
    Err(Failure),
}

/// The success half of [`Tagged`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Success<T> {
    ok: bool,
    #[serde(flatten)]
    value: T,
}

/// The failure half of [`Tagged`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Failure {
    ok: bool,
    /// Errors (and any warnings found with them).
    pub diagnostics: Vec<Diagnostic>,
}

impl<T> Tagged<T> {
    /// A success.
    pub fn ok(value: T) -> Self {
        Tagged::Ok(Success { ok: true, value })
    }

    /// A failure.
    pub fn err(diagnostics: Vec<Diagnostic>) -> Self {
        Tagged::Err(Failure {
            ok: false,
            diagnostics,
        })
    }

    /// The success value, if any.
    pub fn value(&self) -> Option<&T> {
        match self {
            Tagged::Ok(s) => Some(&s.value),
            Tagged::Err(_) => None,
        }
    }

    /// The diagnostics of a failure (empty on success).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            Tagged::Ok(_) => &[],
            Tagged::Err(f) => &f.diagnostics,
        }
    }
}

/// What `validateSpec` returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    /// The spec with defaults filled and issuers normalised.
    pub spec: ValidSpec,
    /// Warnings and notes (no errors).
    pub warnings: Vec<Diagnostic>,
}

/// What `generate` returns on success.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Generated {
    /// One entry per binding, in spec order.
    pub bindings: Vec<BindingView>,
    /// Warnings and notes of the spec (no errors).
    pub warnings: Vec<Diagnostic>,
}

/// Everything generated for one binding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct BindingView {
    /// Namespace (or pattern).
    pub namespace: String,
    /// Service accounts (or patterns).
    pub service_accounts: Vec<String>,
    /// The role's name.
    pub role_name: String,
    /// The role's ARN.
    pub role_arn: String,
    /// `NAMESPACE/SERVICE_ACCOUNT`: the CLI's folder for this binding when a spec has several.
    pub dir: String,
    /// The files, in the CLI's order.
    pub artefacts: Vec<ArtefactView>,
}

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ArtefactView {
    /// `trust-policy`, `permissions-policy`, ...: the CLI's `--only` names.
    pub kind: &'static str,
    /// The file name (`trust-policy.json`).
    pub file: &'static str,
    /// `json` or `yaml`.
    pub format: irsa_core::Format,
    /// The documents of the file as JSON values.
    pub documents: Vec<serde_json::Value>,
    /// The exact text of the file, byte for byte what the CLI writes.
    pub text: String,
}

fn load(input: SpecInput<'_>) -> Validated {
    match input {
        SpecInput::Text { text, file } => irsa_core::load_spec(text, file),
        SpecInput::Object(json) => irsa_core::load_spec_json(json),
    }
}

/// `validateSpec`: the valid spec and its warnings, or every problem.
pub fn validate_spec(input: SpecInput<'_>) -> Tagged<Validation> {
    let validated = load(input);
    match validated.spec {
        Some(spec) => Tagged::ok(Validation {
            spec,
            warnings: validated.diagnostics,
        }),
        None => Tagged::err(validated.diagnostics),
    }
}

/// `generate`: every artefact of every binding, or every problem of the spec.
///
/// The outer error is a bug (a generated document that cannot be rendered),
/// never a user mistake.
pub fn generate(input: SpecInput<'_>) -> Result<Tagged<Generated>, RenderError> {
    let validated = load(input);
    let Some(spec) = validated.spec else {
        return Ok(Tagged::err(validated.diagnostics));
    };
    let bundle = irsa_core::generate(&spec)?;
    Ok(Tagged::ok(Generated {
        bindings: view(bundle),
        warnings: validated.diagnostics,
    }))
}

fn view(bundle: Bundle) -> Vec<BindingView> {
    bundle
        .bindings
        .into_iter()
        .map(|b| BindingView {
            namespace: b.namespace,
            service_accounts: b.service_accounts,
            role_name: b.role_name,
            role_arn: b.role_arn,
            dir: b.dir,
            artefacts: b
                .artefacts
                .into_iter()
                .map(|a| ArtefactView {
                    kind: a.kind.id(),
                    file: a.file,
                    format: a.kind.format(),
                    documents: a.documents,
                    text: a.text,
                })
                .collect(),
        })
        .collect()
}

/// A diagnostic for a spec object that `JSON.stringify` refused (a cycle, a BigInt).
pub fn unserializable_spec(reason: &str) -> Diagnostic {
    Diagnostic::error(
        "SPEC001",
        format!("the spec object cannot be converted to JSON: {reason}"),
        "pass plain data: strings, numbers, booleans, arrays and objects (or the spec's YAML/JSON text)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "accountId: \"111122223333\"\nregion: us-west-2\ncluster: https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE\nbindings:\n  - namespace: production\n    serviceAccount: s3-writer\n    roleName: S3WriterRole\n";

    #[test]
    fn generate_is_tagged_and_keeps_the_text() {
        let result = generate(SpecInput::Text {
            text: SPEC,
            file: Some("irsa.yaml"),
        })
        .unwrap();
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["ok"], true);
        assert_eq!(json["bindings"][0]["roleName"], "S3WriterRole");
        let trust = &json["bindings"][0]["artefacts"][0];
        assert_eq!(trust["kind"], "trust-policy");
        assert_eq!(trust["file"], "trust-policy.json");
        assert_eq!(trust["format"], "json");
        let core = irsa_core::generate(&irsa_core::load_spec(SPEC, None).spec.unwrap()).unwrap();
        assert_eq!(trust["text"], core.bindings[0].artefacts[0].text.as_str());
    }

    #[test]
    fn invalid_specs_give_every_diagnostic_with_positions() {
        let result = validate_spec(SpecInput::Text {
            text: "accountId: \"12345\"\nregion: mars-1\n",
            file: Some("bad.yaml"),
        });
        let json = serde_json::to_value(&result).unwrap();
        assert_eq!(json["ok"], false);
        let first = &json["diagnostics"][0];
        assert_eq!(first["file"], "bad.yaml");
        assert_eq!(first["line"], 1);
        assert!(result.diagnostics().len() >= 2);
        assert!(json.get("spec").is_none());
    }

    #[test]
    fn objects_and_text_agree() {
        let object = r#"{"accountId":"111122223333","region":"us-west-2","cluster":"https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE","bindings":[{"namespace":"production","serviceAccount":"s3-writer","roleName":"S3WriterRole"}]}"#;
        let a = generate(SpecInput::Object(object)).unwrap();
        let b = generate(SpecInput::Text {
            text: SPEC,
            file: None,
        })
        .unwrap();
        let (a, b) = (a.value().unwrap(), b.value().unwrap());
        assert_eq!(a.bindings, b.bindings);
        // The same warning; only the text's one has a position.
        assert_eq!(a.warnings.len(), 1);
        assert_eq!(a.warnings[0].code, b.warnings[0].code);
        assert_eq!((a.warnings[0].line, b.warnings[0].line), (None, Some(3)));
    }

    #[test]
    fn options_reject_unknown_fields() {
        assert!(serde_json::from_str::<SpecOptions>(r#"{"file":"a.yaml"}"#).is_ok());
        assert!(serde_json::from_str::<SpecOptions>(r#"{"fiel":"a.yaml"}"#).is_err());
    }
}
