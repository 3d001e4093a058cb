//! Printing diagnostics: like rustc/miette for people, JSON for programs.

use std::io::IsTerminal;

use irsa_core::{Diagnostic, Severity};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

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
    offset: Option<usize>,
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
        let offset = self.offset?;
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

/// Longest source line shown in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 400;

/// Lines shown around a finding (miette shows one line of context).
const WINDOW_LINES: usize = 3;

/// The few lines of a file around a finding, standing in for the whole file:
/// miette scans a source from its start for every report, and copying and
/// scanning a 2.5 MB file for each of 9,000 findings took 47 s.
#[derive(Debug)]
struct Window {
    name: String,
    /// The lines of the window.
    text: String,
    /// Byte offset of the window in the file.
    start: usize,
    /// 0-based line of the window's first line in the file.
    first_line: usize,
    /// Characters that escaping added before the finding on its line: the
    /// column shown stays the file's.
    escaped_before: usize,
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.start).into(), span.len());
        let inner =
            self.text
                .as_str()
                .read_span(&local, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.start).into(),
                inner.span().len(),
            ),
            inner.line() + self.first_line,
            inner.column().saturating_sub(self.escaped_before),
            inner.line_count(),
        )))
    }
}

/// Byte offsets where each line of a text starts.
fn line_starts(text: &str) -> Vec<usize> {
    std::iter::once(0)
        .chain(text.match_indices('\n').map(|(i, _)| i + 1))
        .collect()
}

/// Byte offset of a 1-based line and column (in characters) in `text`, whose
/// line starts are `starts`.
fn byte_offset(text: &str, starts: &[usize], line: u32, column: u32) -> Option<usize> {
    let start = *starts.get(usize::try_from(line.max(1)).ok()?.checked_sub(1)?)?;
    let rest = text.get(start..)?;
    let col = usize::try_from(column.saturating_sub(1)).ok()?;
    let within = rest.char_indices().nth(col).map_or(
        rest.len().min(rest.find('\n').unwrap_or(rest.len())),
        |(i, _)| i,
    );
    Some(start + within)
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
    let mut out = String::new();
    let mut starts: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
    for d in diags {
        let src = d
            .file
            .as_deref()
            .and_then(|f| sources.iter().find(|(n, _)| *n == f));
        let offset = match (src, d.line, d.column) {
            (Some((name, text)), Some(l), Some(c)) => {
                let lines = starts.entry(name).or_insert_with(|| line_starts(text));
                byte_offset(text, lines, l, c)
            }
            _ => None,
        };
        // A snippet of a huge line (minified JSON, hostile input) helps no one.
        let src = src.filter(|(_, text)| {
            offset.is_none_or(|o| {
                let start = text
                    .get(..o)
                    .and_then(|t| t.rfind('\n'))
                    .map_or(0, |i| i + 1);
                let end = text
                    .get(o..)
                    .and_then(|t| t.find('\n'))
                    .map_or(text.len(), |i| o + i);
                end.saturating_sub(start) <= MAX_SNIPPET_LINE
            })
        });
        let offset = offset.filter(|_| src.is_some());
        // Untrusted text reaches the terminal escaped (crate::escape).
        let shown = crate::escape::diagnostic(d);
        let mut report = Report {
            d: &shown,
            source: src.map(|(n, t)| {
                let lines = starts.entry(n).or_insert_with(|| line_starts(t));
                let line = d
                    .line
                    .and_then(|l| usize::try_from(l).ok())
                    .unwrap_or(1)
                    .saturating_sub(1);
                let first_line = line.saturating_sub(WINDOW_LINES);
                let start = lines.get(first_line).copied().unwrap_or(0);
                let end = lines
                    .get(line + WINDOW_LINES + 1)
                    .copied()
                    .unwrap_or(t.len());
                Window {
                    name: (*n).to_string(),
                    text: t.get(start..end).unwrap_or("").to_string(),
                    start,
                    first_line,
                    escaped_before: 0,
                }
            }),
            offset,
            flag: if src.is_none() {
                d.path.as_deref().and_then(flag_of)
            } else {
                None
            },
        };
        escape_window(&mut report);
        let _ = handler.render_report(&mut out, &report);
    }
    out
}

/// The snippet and its file name with control characters escaped, and the
/// finding's offset moved past the escapes before it.
fn escape_window(report: &mut Report<'_>) {
    if let Some(w) = &mut report.source {
        if let Some(at) = report.offset.map(|o| o.saturating_sub(w.start)) {
            let before = w.text.get(..at).unwrap_or("");
            let line = before
                .rfind('\n')
                .map_or(before, |i| before.get(i + 1..).unwrap_or(""));
            w.escaped_before = crate::escape::controls(line).chars().count() - line.chars().count();
            report.offset = Some(w.start + crate::escape::shifted(&w.text, at));
        }
        w.text = crate::escape::controls(&w.text).into_owned();
        w.name = crate::escape::controls(&w.name).into_owned();
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_offset, line_starts};

    #[test]
    fn offsets() {
        let t = "ab\ncdé\nf";
        let s = line_starts(t);
        assert_eq!(byte_offset(t, &s, 1, 1), Some(0));
        assert_eq!(byte_offset(t, &s, 2, 3), Some(5));
        assert_eq!(byte_offset(t, &s, 3, 1), Some(8));
        assert_eq!(byte_offset(t, &s, 4, 1), None);
    }
}
