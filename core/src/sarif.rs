//! Diagnostics for CI: a SARIF 2.1.0 log (code scanning shows findings inline)
//! and GitHub Actions workflow commands (annotations on the changed lines).
//!
//! Both are renderings of [`Diagnostic`]s; the rule metadata comes from
//! [`crate::rules::RULES`]. Pure: the caller prints the text.

use serde::Serialize;

use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::{Rule, RULES};

/// The URI of the OASIS SARIF 2.1.0 schema (errata 01), named in `$schema`.
pub const SARIF_SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Where people learn about the tool (`tool.driver.informationUri`).
pub const INFORMATION_URI: &str = env!("CARGO_PKG_REPOSITORY");

/// A SARIF log with one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Log {
    /// [`SARIF_SCHEMA`].
    #[serde(rename = "$schema")]
    pub schema: &'static str,
    /// Always `2.1.0`.
    pub version: &'static str,
    /// One run of irsa-gen.
    pub runs: Vec<Run>,
}

/// One run: the tool and its results.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Run {
    /// irsa-gen and its rules.
    pub tool: Tool,
    /// Columns count Unicode code points, as the checker's do.
    pub column_kind: &'static str,
    /// One result per diagnostic, in order.
    pub results: Vec<SarifResult>,
}

/// The tool component that ran.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Tool {
    /// irsa-gen.
    pub driver: Driver,
}

/// irsa-gen with its version and every rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Driver {
    /// `irsa-gen`.
    pub name: &'static str,
    /// The crate version.
    pub version: &'static str,
    /// The same version, as a semantic version.
    pub semantic_version: &'static str,
    /// [`INFORMATION_URI`].
    pub information_uri: &'static str,
    /// Every rule of [`RULES`], in order; results point at them by index.
    pub rules: Vec<ReportingDescriptor>,
}

/// A rule's metadata.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReportingDescriptor {
    /// The stable code (`IRSA004`).
    pub id: &'static str,
    /// The rule's title.
    pub short_description: Message,
    /// Why it matters.
    pub full_description: Message,
    /// The fix, the runtime failure and an example that triggers it.
    pub help: MultiformatMessage,
    /// The level of its findings.
    pub default_configuration: Configuration,
}

/// Plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// The text.
    pub text: String,
}

/// Plain text and Markdown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MultiformatMessage {
    /// The text.
    pub text: String,
    /// The same in Markdown.
    pub markdown: String,
}

/// A rule's default configuration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Configuration {
    /// `error`, `warning` or `note`.
    pub level: &'static str,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult {
    /// The diagnostic's code.
    pub rule_id: String,
    /// Index of the rule in `tool.driver.rules`, when the code is one of [`RULES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_index: Option<usize>,
    /// `error`, `warning` or `note`.
    pub level: &'static str,
    /// The message, the help and the runtime failure.
    pub message: Message,
    /// Where: the file, line and column, and the field path.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<Location>,
}

/// Where a finding is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The file and position.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub physical_location: Option<PhysicalLocation>,
    /// The field path inside the document (`Statement[0].Condition`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub logical_locations: Vec<LogicalLocation>,
}

/// A file and a position in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    /// The file.
    pub artifact_location: ArtifactLocation,
    /// The position, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

/// A file, as a URI reference (relative paths stay relative).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ArtifactLocation {
    /// The percent-encoded path.
    pub uri: String,
}

/// A 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    /// 1-based line.
    pub start_line: u32,
    /// 1-based column, in code points.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<u32>,
}

/// A named place that is not a file position.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LogicalLocation {
    /// The field path.
    pub fully_qualified_name: String,
}

/// SARIF's level for a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The SARIF log of `diagnostics`: every rule of [`RULES`] with its metadata,
/// one result per diagnostic.
pub fn log(diagnostics: &[Diagnostic]) -> Log {
    Log {
        schema: SARIF_SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "irsa-gen",
                    version: crate::VERSION,
                    semantic_version: crate::VERSION,
                    information_uri: INFORMATION_URI,
                    rules: RULES.iter().map(descriptor).collect(),
                },
            },
            column_kind: "unicodeCodePoints",
            results: diagnostics.iter().map(result).collect(),
        }],
    }
}

/// [`log`] as pretty-printed JSON with a final newline.
pub fn to_string(diagnostics: &[Diagnostic]) -> String {
    let mut text = serde_json::to_string_pretty(&log(diagnostics)).unwrap_or_default();
    text.push('\n');
    text
}

fn descriptor(rule: &Rule) -> ReportingDescriptor {
    let mut text = rule.fix.to_string();
    let mut markdown = format!("**Fix:** {}", rule.fix);
    if let Some(failure) = rule.failure {
        text.push_str(&format!("\n\nAt runtime: {failure}"));
        markdown.push_str(&format!("\n\n**At runtime:** `{failure}`"));
    }
    text.push_str(&format!("\n\nExample that triggers it:\n{}", rule.example));
    markdown.push_str(&format!(
        "\n\nExample that triggers it:\n\n```\n{}\n```\n\n`irsa-gen explain {}` says more.",
        rule.example, rule.code
    ));
    ReportingDescriptor {
        id: rule.code,
        short_description: Message {
            text: rule.title.to_string(),
        },
        full_description: Message {
            text: rule.explanation.to_string(),
        },
        help: MultiformatMessage { text, markdown },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
    }
}

/// The message, then the finding's help and runtime failure, as `check` prints them.
fn message_text(d: &Diagnostic) -> String {
    let mut text = d.message.clone();
    if !d.help.is_empty() {
        text.push_str(&format!("\nhelp: {}", d.help));
    }
    if let Some(failure) = &d.failure {
        text.push_str(&format!("\nat runtime: {failure}"));
    }
    text
}

fn result(d: &Diagnostic) -> SarifResult {
    let physical = real_file(d).map(|file| PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: artifact_uri(file),
        },
        region: d.line.filter(|l| *l > 0).map(|start_line| Region {
            start_line,
            start_column: d.column.filter(|c| *c > 0),
        }),
    });
    let logical: Vec<LogicalLocation> = d
        .path
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| LogicalLocation {
            fully_qualified_name: p.clone(),
        })
        .collect();
    let locations = if physical.is_none() && logical.is_empty() {
        Vec::new()
    } else {
        vec![Location {
            physical_location: physical,
            logical_locations: logical,
        }]
    };
    SarifResult {
        rule_id: d.code.clone(),
        rule_index: RULES.iter().position(|r| r.code == d.code),
        level: level(d.severity),
        message: Message {
            text: message_text(d),
        },
        locations,
    }
}

/// The diagnostic's file, unless it is standard input or empty.
fn real_file(d: &Diagnostic) -> Option<&str> {
    d.file
        .as_deref()
        .filter(|f| !f.is_empty() && *f != "<stdin>")
}

/// A file name as a URI reference: relative paths stay relative (code
/// scanning resolves them against the repository root), absolute ones become
/// `file://` URIs; backslashes become slashes and every byte outside
/// `A-Z a-z 0-9 - . _ ~ /` is percent-encoded.
pub fn artifact_uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let bytes = path.as_bytes();
    let drive = bytes.first().is_some_and(u8::is_ascii_alphabetic)
        && bytes.get(1) == Some(&b':')
        && bytes.get(2) == Some(&b'/');
    let mut out = String::new();
    let rest = if path.starts_with('/') {
        out.push_str("file://");
        path
    } else if drive {
        // `C:/x` -> `file:///C:/x`: the drive's colon stays as it is.
        out.push_str("file:///");
        out.push_str(path.get(..2).unwrap_or_default());
        path.get(2..).unwrap_or_default()
    } else {
        path
    };
    for b in rest.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// GitHub Actions workflow commands, one line per diagnostic:
/// `::error file=F,line=L,col=C,title=CODE::message`. Warnings are `::warning`,
/// notes `::notice`; properties that are unknown are left out.
pub fn github_annotations(diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let mut props = Vec::new();
        if let Some(file) = real_file(d) {
            let file = file.strip_prefix("./").unwrap_or(file);
            props.push(format!("file={}", escape_property(file)));
            if let Some(line) = d.line {
                props.push(format!("line={line}"));
                if let Some(col) = d.column {
                    props.push(format!("col={col}"));
                }
            }
        }
        props.push(format!("title={}", escape_property(&d.code)));
        out.push_str(&format!(
            "::{command} {}::{}\n",
            props.join(","),
            escape_data(&message_text(d))
        ));
    }
    out
}

/// A workflow command's message: `%`, CR and LF are percent-encoded (as
/// `@actions/core` does).
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,`
/// too, which would end the value.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn finding() -> Diagnostic {
        let mut d = crate::rules::diagnostic("IRSA006", "a `*` under StringEquals, 100%");
        d.file = Some("k8s/a,b: c.json".into());
        d.line = Some(7);
        d.column = Some(12);
        d.path = Some("Statement[0].Condition".into());
        d
    }

    #[test]
    fn escapes_as_the_actions_toolkit() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        // `%` first, so an escape is never escaped twice.
        assert_eq!(escape_property("%3A"), "%253A");
    }

    #[test]
    fn github_annotation_line() {
        let out = github_annotations(&[finding()]);
        assert!(out.starts_with(
            "::error file=k8s/a%2Cb%3A c.json,line=7,col=12,title=IRSA006::a `*` under StringEquals, 100%25%0Ahelp: "
        ));
        assert_eq!(out.lines().count(), 1);
    }

    #[test]
    fn github_annotation_without_location() {
        let mut d = finding();
        d.file = Some("<stdin>".into());
        d.severity = Severity::Info;
        assert!(github_annotations(&[d]).starts_with("::notice title=IRSA006::"));
    }

    #[test]
    fn uris() {
        assert_eq!(artifact_uri("./k8s/sa.yaml"), "k8s/sa.yaml");
        assert_eq!(artifact_uri("a b/ü.json"), "a%20b/%C3%BC.json");
        assert_eq!(artifact_uri("/srv/x.yaml"), "file:///srv/x.yaml");
        assert_eq!(artifact_uri("C:\\w\\x.yaml"), "file:///C:/w/x.yaml");
        assert_eq!(artifact_uri("a:b.json"), "a%3Ab.json");
    }

    #[test]
    fn sarif_result_points_at_its_rule() {
        let log = log(&[finding()]);
        let run = &log.runs[0];
        let r = &run.results[0];
        let rule = &run.tool.driver.rules[r.rule_index.unwrap()];
        assert_eq!(rule.id, "IRSA006");
        assert_eq!(r.level, "error");
        let region = r.locations[0]
            .physical_location
            .as_ref()
            .unwrap()
            .region
            .as_ref()
            .unwrap();
        assert_eq!((region.start_line, region.start_column), (7, Some(12)));
        assert_eq!(run.tool.driver.rules.len(), RULES.len());
    }
}
