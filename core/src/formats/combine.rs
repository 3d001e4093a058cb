//! One file for the bindings of a spec (`generate --only KIND` with several
//! bindings, where standard output holds one file): how is the catalogue's
//! [`Combine`] column. A script sets up every binding in turn, `main.tf`
//! holds every resource, a CloudFormation template every role, a JSON kind
//! becomes an array; a kind no single file can hold is refused.

use crate::artefact::{Artefact, RenderError};
use crate::catalogue::{ArtefactKind, Combine};
use crate::documents::Documents;
use crate::formats::{cloudformation, eksctl, render, setup, terraform};
use crate::model::{Binding, ValidSpec};

/// CloudFormation's quota of resources declared in one template.
pub const MAX_TEMPLATE_RESOURCES: usize = 500;

/// Why the bindings cannot be one file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CombineError {
    /// The kind (or this many bindings) cannot be one file.
    #[error("{0}")]
    Refused(String),
    /// A document could not be rendered.
    #[error(transparent)]
    Render(#[from] RenderError),
}

fn refused(kind: ArtefactKind, why: &str) -> CombineError {
    CombineError::Refused(format!(
        "{} of several bindings cannot be one file ({why}); use --output-dir DIR to write one per binding",
        kind.file_name()
    ))
}

/// The one file of `kind` for every binding it applies to, in spec order.
/// [`Combine::YamlStream`] kinds are joined with `---` and a `# Source:`
/// comment naming each binding's file.
pub fn combine(spec: &ValidSpec, kind: ArtefactKind) -> Result<String, CombineError> {
    let bindings: Vec<&Binding> = spec
        .bindings
        .iter()
        .filter(|b| kind.applies(spec, b))
        .collect();
    // Most kinds build each binding's documents in its turn, so memory holds
    // one binding's; eksctl.sh and a template (at most 500 resources) hold all.
    let all: Vec<Documents> = match kind.combine() {
        Combine::OneTemplate => bindings.iter().map(|b| Documents::of(spec, b)).collect(),
        Combine::ScriptInTurn if kind == ArtefactKind::EksctlScript => {
            bindings.iter().map(|b| Documents::of(spec, b)).collect()
        }
        _ => Vec::new(),
    };
    let parts: Vec<(&Binding, &Documents)> = bindings.iter().copied().zip(&all).collect();
    match kind.combine() {
        Combine::Refuse(why) => Err(refused(kind, why)),
        Combine::OneHcl => Ok(terraform::main_tfs(spec, &bindings)?),
        Combine::ScriptInTurn => match kind {
            ArtefactKind::EksctlScript => Ok(eksctl::scripts(spec, &parts)?),
            ArtefactKind::PodIdentity => Ok(setup::pod_identity_scripts(spec, &bindings)),
            _ => Ok(setup::setup_scripts(spec, &bindings)?),
        },
        Combine::OneTemplate => template(spec, kind, &parts),
        Combine::JsonArray => json_array(spec, kind, &bindings),
        Combine::YamlStream => yaml_stream(spec, kind, &bindings),
    }
}

fn template(
    spec: &ValidSpec,
    kind: ArtefactKind,
    parts: &[(&Binding, &Documents)],
) -> Result<String, CombineError> {
    let t = cloudformation::templates(spec, parts);
    if t.resources.len() > MAX_TEMPLATE_RESOURCES {
        let why = format!(
            "{} resources; CloudFormation allows {MAX_TEMPLATE_RESOURCES} in a template",
            t.resources.len()
        );
        return Err(refused(kind, &why));
    }
    let artefact = match kind {
        ArtefactKind::CloudFormationJson => Artefact::json(kind, &t)?,
        _ => Artefact::yaml(kind, &[t])?,
    };
    Ok(artefact.text)
}

/// Each binding's artefact in turn, with the path `--output-dir` gives it.
fn each<'a>(
    spec: &'a ValidSpec,
    kind: ArtefactKind,
    bindings: &'a [&'a Binding],
) -> impl Iterator<Item = Result<(&'a Binding, String, Artefact), RenderError>> + 'a {
    bindings.iter().filter_map(
        move |b| match render(kind, spec, b, &Documents::of(spec, b)) {
            Ok(Some(a)) => Some(Ok((*b, format!("{}/{}", b.dir(), a.file), a))),
            Ok(None) => None,
            Err(e) => Some(Err(e)),
        },
    )
}

fn json_array(
    spec: &ValidSpec,
    kind: ArtefactKind,
    bindings: &[&Binding],
) -> Result<String, CombineError> {
    let mut entries = Vec::new();
    for item in each(spec, kind, bindings) {
        let (b, file, a) = item?;
        let document = a.documents.into_iter().next().unwrap_or_default();
        entries
            .push(serde_json::json!({"roleName": b.role_name, "file": file, "document": document}));
    }
    let mut text = serde_json::to_string_pretty(&entries)
        .map_err(|e| CombineError::Render(RenderError::of(kind, e)))?;
    text.push('\n');
    Ok(text)
}

fn yaml_stream(
    spec: &ValidSpec,
    kind: ArtefactKind,
    bindings: &[&Binding],
) -> Result<String, CombineError> {
    let mut text = String::new();
    for item in each(spec, kind, bindings) {
        let (_, file, a) = item?;
        text.push_str(&format!("---\n# Source: {file}\n{}", a.text));
    }
    Ok(text)
}
