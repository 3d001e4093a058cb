//! One generated file: its kind, its documents and its exact text, and the
//! two ways a typed document becomes one (pretty JSON, a YAML stream).

use serde::Serialize;

use crate::catalogue::ArtefactKind;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Artefact {
    /// Which artefact.
    pub kind: ArtefactKind,
    /// The file name.
    pub file: &'static str,
    /// The documents it holds, as JSON values (one for policies, one or more
    /// for manifests, none for scripts and HCL).
    pub documents: Vec<serde_json::Value>,
    /// The exact text of the file.
    pub text: String,
}

impl Artefact {
    /// A text artefact with no JSON or YAML documents (a script, HCL).
    pub fn text(kind: ArtefactKind, text: String) -> Artefact {
        Artefact {
            kind,
            file: kind.file_name(),
            documents: Vec::new(),
            text,
        }
    }

    /// One document as pretty JSON (IAM policies, the JSON template).
    pub fn json<T: Serialize>(kind: ArtefactKind, doc: &T) -> Result<Artefact, RenderError> {
        let value = serde_json::to_value(doc).map_err(|e| RenderError::of(kind, e))?;
        Artefact::json_value(kind, value)
    }

    /// [`Artefact::json`] of a document already made a value.
    pub fn json_value(
        kind: ArtefactKind,
        value: serde_json::Value,
    ) -> Result<Artefact, RenderError> {
        let mut text =
            serde_json::to_string_pretty(&value).map_err(|e| RenderError::of(kind, e))?;
        text.push('\n');
        Ok(Artefact {
            kind,
            file: kind.file_name(),
            documents: vec![value],
            text,
        })
    }

    /// Documents as one YAML stream, `---` between them (manifests, templates).
    pub fn yaml<T: Serialize>(kind: ArtefactKind, docs: &[T]) -> Result<Artefact, RenderError> {
        let values = docs
            .iter()
            .map(|doc| serde_json::to_value(doc).map_err(|e| RenderError::of(kind, e)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Artefact::yaml_values(kind, values))
    }

    /// [`Artefact::yaml`] of documents already made values.
    pub fn yaml_values(kind: ArtefactKind, values: Vec<serde_json::Value>) -> Artefact {
        let mut text = String::new();
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                text.push_str("---\n");
            }
            text.push_str(&crate::yaml::to_string(value));
        }
        Artefact {
            kind,
            file: kind.file_name(),
            documents: values,
            text,
        }
    }

    /// The artefact as JSON text, as `-o json` shows a manifest: the document
    /// itself when there is one, a `v1` `List` of them when there are several.
    /// IAM policies are JSON already and come back as they are.
    pub fn json_text(&self) -> Result<String, RenderError> {
        let err = |e: serde_json::Error| RenderError::new(self.file, e.to_string());
        let mut text = match self.documents.as_slice() {
            [one] => serde_json::to_string_pretty(one).map_err(err)?,
            docs => serde_json::to_string_pretty(&serde_json::json!({
                "apiVersion": "v1",
                "kind": "List",
                "items": docs,
            }))
            .map_err(err)?,
        };
        text.push('\n');
        Ok(text)
    }
}

/// A document could not be rendered (never expected for generated documents).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("could not render {file}: {message}")]
pub struct RenderError {
    file: &'static str,
    message: String,
}

impl RenderError {
    /// An error rendering `file`.
    pub fn new(file: &'static str, message: impl Into<String>) -> RenderError {
        RenderError {
            file,
            message: message.into(),
        }
    }

    /// An error rendering an artefact of `kind`.
    pub fn of(kind: ArtefactKind, e: impl std::fmt::Display) -> RenderError {
        RenderError::new(kind.file_name(), e.to_string())
    }
}
