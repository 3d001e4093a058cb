//! What the generate side shows for a form ([`Derived`]): core's `validate`
//! and `generate` run on it ([`derive()`]), its findings placed in the form,
//! the artefacts as panels, and the last valid ones kept while a value is
//! being typed.

use irsa_core::{ArtefactKind, Diagnostic, Format, Severity, ValidSpec};

use crate::form::Form;
use crate::form_fields::*;
use crate::form_place::Place;
use crate::needs::{self, Missing};
use crate::{form_place, form_statements};

/// One output panel: an artefact of the bundle.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Human title ("Trust policy").
    pub title: String,
    /// File name, with the binding's folder when there are several bindings.
    pub file: String,
    /// The text as generated.
    pub text: String,
    /// Its format.
    pub format: Format,
    /// The manifest as JSON (only for YAML artefacts).
    pub json: Option<String>,
    /// One of the five core artefacts (`ArtefactKind::in_stream`), always
    /// shown; the further formats are alternatives, one picked at a time.
    pub primary: bool,
    /// Its kind.
    pub kind: ArtefactKind,
    /// The binding it belongs to (its index in the form).
    pub binding: usize,
}

impl Panel {
    /// The text to show: JSON for manifests when asked for and available.
    pub fn shown(&self, manifests_as_json: bool) -> (&str, Lang) {
        match (&self.json, manifests_as_json) {
            (Some(json), true) => (json, Lang::Json),
            _ => (&self.text, Lang::of(&self.file)),
        }
    }

    /// The file name matching [`Panel::shown`].
    pub fn shown_file(&self, manifests_as_json: bool) -> String {
        match (&self.json, manifests_as_json) {
            (Some(_), true) => match self.file.rsplit_once('.') {
                Some((stem, _)) => format!("{stem}.json"),
                None => format!("{}.json", self.file),
            },
            _ => self.file.clone(),
        }
    }
}

/// The language of a text, for colouring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// JSON
    Json,
    /// YAML
    Yaml,
    /// Anything else: no colouring.
    Plain,
}

impl Lang {
    /// By file extension.
    pub fn of(file: &str) -> Lang {
        match file.rsplit_once('.').map(|(_, ext)| ext) {
            Some("json") => Lang::Json,
            Some("yaml" | "yml") => Lang::Yaml,
            _ => Lang::Plain,
        }
    }
}

/// What the output side shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Output {
    /// Nothing typed yet.
    Empty,
    /// The spec has errors and nothing was generated before.
    Invalid,
    /// The spec has errors: the last artefacts generated stay, marked out of
    /// date, so the page neither empties nor jumps while a value is typed.
    Stale(Vec<Panel>),
    /// The artefacts.
    Panels(Vec<Panel>),
    /// Generation failed (never expected): the message.
    Failed(String),
}

/// Everything computed from the form.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// All validation findings.
    pub diagnostics: Vec<Diagnostic>,
    /// Where each finding is shown in the form (`None`: above the outputs).
    pub places: Vec<Option<Place>>,
    /// The outputs.
    pub output: Output,
    /// The artefacts a binding does not get yet, and the field that adds each
    /// (of the artefacts shown, current or stale).
    pub missing: Vec<Missing>,
    /// The alternative formats at least one binding gets.
    pub offered: Vec<ArtefactKind>,
    /// Validation's findings as core gave them, each with its words
    /// (`fields::in_words`): a keystroke mostly leaves the findings as they
    /// were, and rewording one costs more than the rest of the keystroke's
    /// validation, so the next derivation reuses the words of a finding it
    /// finds here unchanged.
    worded: Vec<(Diagnostic, Diagnostic)>,
}

impl Derived {
    /// What `form` gives when this was shown before: an invalid form keeps
    /// the last artefacts, as stale.
    pub(crate) fn next(&self, form: &Form, alternative: Option<ArtefactKind>) -> Derived {
        let mut next = derive_after(Some(self), form, alternative);
        if next.output == Output::Invalid {
            if let Output::Panels(last) | Output::Stale(last) = &self.output {
                next.output = Output::Stale(last.clone());
                next.missing = self.missing.clone();
                next.offered = self.offered.clone();
            }
        }
        next
    }

    /// The panels shown, current or stale.
    pub fn panels(&self) -> &[Panel] {
        match &self.output {
            Output::Panels(p) | Output::Stale(p) => p,
            _ => &[],
        }
    }

    /// The findings shown beside `field` (of the first binding).
    pub fn for_field(&self, field: Field) -> impl Iterator<Item = &Diagnostic> {
        self.for_field_in(0, field)
    }

    /// The findings shown beside `field` of binding `binding` (its first row).
    pub fn for_field_in(&self, binding: usize, field: Field) -> impl Iterator<Item = &Diagnostic> {
        self.for_cell(binding, field, 0)
    }

    /// The findings shown beside `field` in row `row` of binding `binding`.
    pub fn for_cell(
        &self,
        binding: usize,
        field: Field,
        row: usize,
    ) -> impl Iterator<Item = &Diagnostic> {
        let here = Place {
            binding,
            field,
            row,
        };
        self.placed()
            .filter(move |(p, _)| *p == Some(here))
            .map(|(_, d)| d)
    }

    /// Every finding with its place in the form.
    pub fn placed(&self) -> impl Iterator<Item = (Option<Place>, &Diagnostic)> {
        self.places.iter().copied().zip(&self.diagnostics)
    }

    /// Findings that belong to no field of the form (shown above the outputs).
    pub fn unplaced(&self) -> impl Iterator<Item = &Diagnostic> {
        self.placed().filter(|(p, _)| p.is_none()).map(|(_, d)| d)
    }

    /// The number of error-level findings.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }
}

/// Validates and generates: the whole of the generate side, by core. Only
/// what the page shows is rendered (the core artefacts and the one
/// `alternative` picked); which alternatives a binding gets is the catalogue's
/// rule, asked without rendering them.
pub fn derive(form: &Form, alternative: Option<ArtefactKind>) -> Derived {
    derive_after(None, form, alternative)
}

/// [`derive()`], reusing the words of the findings `last` already had.
fn derive_after(last: Option<&Derived>, form: &Form, alternative: Option<ArtefactKind>) -> Derived {
    if form.is_blank() {
        return Derived {
            diagnostics: Vec::new(),
            places: Vec::new(),
            output: Output::Empty,
            missing: Vec::new(),
            offered: Vec::new(),
            worded: Vec::new(),
        };
    }
    let validated = form.to_spec().validate();
    // Statements that are not JSON: the spec lacks them, so nothing is
    // generated from it (the last artefacts stay, stale).
    let unread: Vec<Diagnostic> = (0..form.binding_count())
        .filter_map(|b| form_statements::problem(b, form.get_in(b, Field::Statements)))
        .collect();
    let spec = validated.spec.as_ref().filter(|_| unread.is_empty());
    let (output, missing, offered) = match spec {
        None => (Output::Invalid, Vec::new(), Vec::new()),
        Some(spec) => match render_panels(spec, alternative) {
            Err(e) => (Output::Failed(e.to_string()), Vec::new(), Vec::new()),
            Ok(panels) => {
                let applying: Vec<(usize, ArtefactKind)> = spec
                    .bindings
                    .iter()
                    .enumerate()
                    .flat_map(|(i, b)| {
                        alternatives()
                            .filter(move |k| k.applies(spec, b))
                            .map(move |k| (i, k))
                    })
                    .collect();
                let missing = needs::missing(form, &panels, &applying);
                let offered = alternatives()
                    .filter(|k| applying.iter().any(|(_, a)| a == k))
                    .collect();
                (Output::Panels(panels), missing, offered)
            }
        },
    };
    // In the form's words: its labels, never the spec's keys.
    let worded: Vec<(Diagnostic, Diagnostic)> = validated
        .diagnostics
        .into_iter()
        .map(|d| {
            let words = last
                .and_then(|l| l.worded.iter().find(|(raw, _)| *raw == d))
                .map_or_else(|| irsa_core::fields::in_words(&d), |(_, w)| w.clone());
            (d, words)
        })
        .collect();
    let mut diagnostics = unread;
    diagnostics.extend(worded.iter().map(|(_, w)| w.clone()));
    let places = diagnostics
        .iter()
        .map(|d| d.path.as_deref().and_then(|p| form_place::place(form, p)))
        .collect();
    Derived {
        diagnostics,
        places,
        output,
        missing,
        offered,
        worded,
    }
}

/// Each binding's core artefacts and, when it applies, the alternative.
fn render_panels(
    spec: &ValidSpec,
    alternative: Option<ArtefactKind>,
) -> Result<Vec<Panel>, irsa_core::artefact::RenderError> {
    let several = spec.bindings.len() > 1;
    let mut panels = Vec::new();
    for (index, b) in spec.bindings.iter().enumerate() {
        // The binding's documents built once for the core artefacts and the
        // alternative (what `generate::core_artefacts` renders, then it).
        let docs = irsa_core::documents::Documents::of(spec, b);
        let mut artefacts = Vec::new();
        let kinds = ArtefactKind::all()
            .filter(|k| k.in_stream())
            .chain(alternative);
        for kind in kinds.filter(|k| k.applies(spec, b)) {
            artefacts.extend(irsa_core::formats::render(kind, spec, b, &docs)?);
        }
        let dir = b.dir();
        panels.extend(artefacts.iter().map(|a| Panel {
            title: a.kind.title().to_string(),
            file: if several {
                format!("{dir}/{}", a.file)
            } else {
                a.file.to_string()
            },
            text: a.text.clone(),
            format: a.kind.format(),
            json: json_view(a).then(|| a.json_text().ok()).flatten(),
            primary: a.kind.in_stream(),
            kind: a.kind,
            binding: index,
        }));
    }
    Ok(panels)
}

/// A YAML artefact gets a JSON view when it holds documents and no kind of
/// the catalogue already is that JSON file (`cloudformation.json`).
fn json_view(a: &irsa_core::Artefact) -> bool {
    let stem = a.file.rsplit_once('.').map_or(a.file, |(s, _)| s);
    a.kind.format() == Format::Yaml
        && !a.documents.is_empty()
        && ArtefactKind::of_file(&format!("{stem}.json")).is_none()
}

/// The alternative formats, in the catalogue's order.
pub fn alternatives() -> impl Iterator<Item = ArtefactKind> {
    ArtefactKind::all().filter(|k| !k.in_stream())
}
