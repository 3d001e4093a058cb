//! Printing diagnostics: like rustc/miette for people, JSON for programs.

use std::collections::HashMap;
use std::io::IsTerminal;

use irsa_core::{Diagnostic, Severity};
use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use crate::snippet::{self, Window};

/// Findings rendered per file in the human and github formats; the rest are
/// counted (JSON and SARIF list every one).
pub const MAX_PER_FILE: usize = 200;

/// How diagnostics are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum, Default)]
pub enum DiagFormat {
    /// rustc-style reports with source snippets.
    #[default]
    Human,
    /// `{"diagnostics": [...]}`, the shape the npm module returns.
    Json,
}

/// A diagnostic with the source it points into, for miette.
#[derive(Debug)]
struct Report<'a> {
    d: &'a Diagnostic,
    source: Option<Window>,
    flag: Option<String>,
}

impl std::fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.d.path, &self.flag) {
            (_, Some(flag)) => write!(f, "{} ({flag})", self.d.message),
            (Some(p), None) if self.source.is_none() && !p.is_empty() => {
                write!(f, "{} (at {p})", self.d.message)
            }
            _ => match (&self.d.file, self.d.line, self.d.column) {
                (Some(file), Some(l), Some(c)) if self.source.is_none() => {
                    write!(f, "{} ({file}:{l}:{c})", self.d.message)
                }
                _ => f.write_str(&self.d.message),
            },
        }
    }
}

impl std::error::Error for Report<'_> {}

impl miette::Diagnostic for Report<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.d.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.d.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        let help = match &self.d.failure {
            Some(f) => format!("{}\nat runtime: {f}", self.d.help),
            None => self.d.help.clone(),
        };
        Some(Box::new(help))
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let offset = self.source.as_ref()?.label?;
        let label = self
            .d
            .path
            .clone()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "here".into());
        Some(Box::new(std::iter::once(LabeledSpan::new(
            Some(label),
            offset,
            1,
        ))))
    }
}

/// Prints diagnostics to stderr (human) or stdout (json, with `wrap` as the top-level key).
/// `sources` maps file names to their text; `flag_of` names the flag a field path came from.
pub fn print(
    diags: &[Diagnostic],
    format: DiagFormat,
    sources: &[(&str, &str)],
    flag_of: &dyn Fn(&str) -> Option<String>,
) {
    match format {
        DiagFormat::Json => {
            let out = serde_json::json!({ "diagnostics": diags });
            eprintln!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
        }
        DiagFormat::Human => eprint!("{}", render(diags, sources, flag_of)),
    }
}

/// The human rendering of diagnostics, without colour unless stderr is a terminal.
pub fn render(
    diags: &[Diagnostic],
    sources: &[(&str, &str)],
    flag_of: &dyn Fn(&str) -> Option<String>,
) -> String {
    let colour = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    render_with(diags, sources, flag_of, colour)
}

/// The human rendering for standard output (`check`'s findings are its result):
/// colour only when stdout is a terminal.
pub fn render_stdout(diags: &[Diagnostic], sources: &[(&str, &str)]) -> String {
    let colour = std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    render_with(diags, sources, &|_| None, colour)
}

fn render_with(
    diags: &[Diagnostic],
    sources: &[(&str, &str)],
    flag_of: &dyn Fn(&str) -> Option<String>,
    colour: bool,
) -> String {
    let theme = if colour {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let (shown, omitted) = capped(diags);
    let files: HashMap<&str, snippet::Source> = sources
        .iter()
        .map(|(name, text)| (*name, snippet::Source::new(name, text)))
        .collect();
    let spots = locate(&shown, &files);
    let mut out = String::new();
    for (d, spot) in shown.into_iter().zip(spots) {
        let file = d.file.as_deref().and_then(|f| files.get(f));
        // Untrusted text reaches the terminal escaped (crate::escape).
        let shown = crate::escape::diagnostic(d);
        let report = Report {
            d: &shown,
            source: file.map(|f| f.window(spot)),
            flag: file
                .is_none()
                .then(|| d.path.as_deref().and_then(flag_of))
                .flatten(),
        };
        let _ = handler.render_report(&mut out, &report);
    }
    for (file, n) in omitted {
        out.push_str(&more_line(file, n));
        out.push('\n');
    }
    out
}

/// The first [`MAX_PER_FILE`] findings of each file, in order, and how many
/// were left out of each file (in the order the files came).
pub fn capped(diags: &[Diagnostic]) -> (Vec<&Diagnostic>, Vec<(Option<&str>, usize)>) {
    let mut counts: HashMap<Option<&str>, usize> = HashMap::new();
    let mut order = Vec::new();
    let mut shown = Vec::new();
    for d in diags {
        let file = d.file.as_deref();
        let n = counts.entry(file).or_insert_with(|| {
            order.push(file);
            0
        });
        *n += 1;
        if *n <= MAX_PER_FILE {
            shown.push(d);
        }
    }
    let omitted = order
        .into_iter()
        .filter_map(|f| {
            let n = counts.get(&f).copied().unwrap_or(0);
            (n > MAX_PER_FILE).then(|| (f, n - MAX_PER_FILE))
        })
        .collect();
    (shown, omitted)
}

/// The line that stands for the findings of `file` left out.
pub fn more_line(file: Option<&str>, n: usize) -> String {
    let findings = if n == 1 { "finding" } else { "findings" };
    match file {
        Some(f) => format!(
            "… and {n} more {findings} in {}; --format json lists every one",
            crate::escape::controls(f)
        ),
        None => format!("… and {n} more {findings}; --format json lists every one"),
    }
}

/// Each finding's spot in its file, each file's findings located together.
fn locate(
    diags: &[&Diagnostic],
    files: &HashMap<&str, snippet::Source>,
) -> Vec<Option<snippet::Spot>> {
    let mut spots = vec![None; diags.len()];
    // Per file: each finding's index and the (line, column) it points at.
    let mut by_file: HashMap<&str, Vec<(usize, snippet::Point)>> = HashMap::new();
    for (i, d) in diags.iter().enumerate() {
        if let (Some(f), Some(l), Some(c)) = (d.file.as_deref(), d.line, d.column) {
            by_file.entry(f).or_default().push((i, (l, c)));
        }
    }
    for (f, found) in by_file {
        let Some(source) = files.get(f) else {
            continue;
        };
        let points: Vec<snippet::Point> = found.iter().map(|&(_, p)| p).collect();
        for ((i, _), spot) in found.into_iter().zip(source.locate(&points)) {
            if let Some(slot) = spots.get_mut(i) {
                *slot = spot;
            }
        }
    }
    spots
}
