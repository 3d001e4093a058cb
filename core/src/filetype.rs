//! The types of file `check` meets, known by name, by content or by a
//! document's shape, and whether it reads them. A type it does not read is
//! said (IRSA407), never read as YAML by accident (a `main.tf` is one YAML
//! string). A reader for one of these types (Terraform, CloudFormation,
//! eksctl) plugs in by getting a `read` entry here and a branch in
//! `check::summarise`.

use crate::source::Node;

/// A type of file check does not read (yet).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileType {
    /// The type's name, singular, as the summary and IRSA407 say it.
    pub name: &'static str,
    /// File name endings (after any `.tpl`), lower-case.
    pub endings: &'static [&'static str],
}

/// Terraform (HCL, and Terraform's JSON syntax).
pub const TERRAFORM: FileType = FileType {
    name: "Terraform file",
    endings: &[".tf", ".tf.json", ".tfvars", ".tfvars.json", ".hcl"],
};
/// CloudFormation templates (recognised by their content).
pub const CLOUDFORMATION: FileType = FileType {
    name: "CloudFormation template",
    endings: &[".template", ".cfn.yaml", ".cfn.json"],
};
/// eksctl `ClusterConfig` (recognised by `apiVersion: eksctl.io/...`).
pub const EKSCTL: FileType = FileType {
    name: "eksctl ClusterConfig",
    endings: &[],
};
/// Shell scripts.
pub const SHELL: FileType = FileType {
    name: "shell script",
    endings: &[".sh", ".bash", ".zsh", ".ps1"],
};
/// Documentation.
pub const DOCUMENTATION: FileType = FileType {
    name: "documentation file",
    endings: &[".md", ".markdown", ".adoc", ".rst", ".txt", ".html"],
};
/// Program source.
pub const SOURCE_CODE: FileType = FileType {
    name: "source file",
    endings: &[
        ".py",
        ".js",
        ".ts",
        ".go",
        ".rs",
        ".java",
        ".rb",
        ".cdk.json",
    ],
};

/// True when check reads a file of type `t` as Terraform's HCL syntax
/// ([`crate::iac::terraform`]): a `.tf` or `.hcl` file, or standard input
/// that starts as Terraform. Terraform's JSON syntax and variable files
/// (`.tf.json`, `.tfvars`) are not read.
pub fn reads_as_hcl(name: &str, t: FileType) -> bool {
    let n = untemplated(name).to_ascii_lowercase();
    t == TERRAFORM && !n.ends_with(".json") && !n.ends_with(".tfvars")
}

/// Every type check knows it does not read (Terraform and CloudFormation:
/// in part, see [`reads_as_hcl`] and [`crate::iac`]).
pub const NOT_READ: &[FileType] = &[TERRAFORM, CLOUDFORMATION, SHELL, DOCUMENTATION, SOURCE_CODE];

/// The file name without a template suffix (`trust.json.tpl` -> `trust.json`).
pub fn untemplated(name: &str) -> &str {
    [".tpl", ".tmpl", ".j2", ".gotmpl", ".tftpl"]
        .iter()
        .find_map(|s| name.strip_suffix(s))
        .unwrap_or(name)
}

/// True when the name says JSON (`.json`, `.json.tpl`): read strictly.
pub fn is_json_name(name: &str) -> bool {
    let n = untemplated(name).to_ascii_lowercase();
    n.ends_with(".json") && by_name(name).is_none()
}

/// The unread type a file name says, if any.
pub fn by_name(name: &str) -> Option<FileType> {
    let n = untemplated(name).to_ascii_lowercase();
    NOT_READ
        .iter()
        .find(|t| t.endings.iter().any(|e| n.ends_with(e)))
        .copied()
}

/// The unread type a text's first line says (standard input has no name):
/// a shebang, a Terraform block.
pub fn by_content(text: &str) -> Option<FileType> {
    let first = text.lines().map(str::trim).find(|l| {
        !l.is_empty() && !l.starts_with("//") && (!l.starts_with('#') || l.starts_with("#!"))
    })?;
    if first.starts_with("#!") {
        return Some(SHELL);
    }
    let word = first.split_whitespace().next().unwrap_or("");
    let block = matches!(
        word,
        "resource"
            | "data"
            | "variable"
            | "module"
            | "provider"
            | "output"
            | "locals"
            | "terraform"
    );
    (block && (first.ends_with('{') || first.contains(" \""))).then_some(TERRAFORM)
}

/// The unread type a parsed document is, if any: CloudFormation
/// (`AWSTemplateFormatVersion`, or `Resources` of `AWS::` types) or eksctl.
pub fn of_document(root: &Node) -> Option<FileType> {
    if root
        .get("apiVersion")
        .and_then(Node::as_text)
        .is_some_and(|v| v.starts_with("eksctl.io/"))
    {
        return Some(EKSCTL);
    }
    if root.get("AWSTemplateFormatVersion").is_some() {
        return Some(CLOUDFORMATION);
    }
    let aws_resources = root
        .get("Resources")
        .and_then(Node::as_map)
        .is_some_and(|r| {
            r.iter().any(|(_, v)| {
                v.get("Type")
                    .and_then(Node::as_text)
                    .is_some_and(|t| t.starts_with("AWS::"))
            })
        });
    aws_resources.then_some(CLOUDFORMATION)
}

/// Go template words that only a template engine understands.
const TEMPLATE_WORDS: &[&str] = &[
    "if", "else", "end", "range", "with", "define", "template", "include", "block", "tpl",
    "toYaml", "nindent", "indent", "quote", "required", "default", "printf", "/*",
];

/// The byte offset of the first Go/Helm template action of a text that makes
/// it a template rather than a document with `{{ x }}` placeholders: a
/// control action or function (`{{- if`, `{{ include`, `| quote`), a trim
/// marker, or a `{{` outside any quoted string of a YAML text.
pub fn helm_action(text: &str, json: bool) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = text
        .get(from..)
        .and_then(|t| t.find("{{"))
        .map(|i| from + i)
    {
        let rest = text.get(i + 2..).unwrap_or("");
        let close = rest.find("}}")?;
        let inner = rest.get(..close).unwrap_or("");
        let trimmed = inner.trim_matches(|c: char| c == '-' || c.is_whitespace());
        let first = trimmed.split_whitespace().next().unwrap_or("");
        // A CloudFormation dynamic reference (`{{resolve:ssm:name}}`) is no template.
        if trimmed.starts_with("resolve:") {
            from = i + 2 + close + 2;
            continue;
        }
        let control = inner.starts_with('-')
            || inner.ends_with('-')
            || inner.contains('|')
            || first.starts_with('$')
            || TEMPLATE_WORDS.contains(&first);
        let line_start = text
            .get(..i)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |n| n + 1);
        let before = text.get(line_start..i).unwrap_or("");
        let quoted = before.matches('"').count() % 2 == 1 || before.matches('\'').count() % 2 == 1;
        if control || (!json && !quoted) {
            return Some(i);
        }
        from = i + 2 + close + 2;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_contents() {
        assert_eq!(by_name("infra/main.tf"), Some(TERRAFORM));
        assert_eq!(by_name("x.tf.json"), Some(TERRAFORM));
        assert_eq!(by_name("setup.sh.tpl"), Some(SHELL));
        assert_eq!(by_name("README.md"), Some(DOCUMENTATION));
        assert_eq!(by_name("trust.json.tpl"), None);
        assert!(is_json_name("trust.json.tpl"));
        assert!(
            is_json_name("trust.json.tftpl"),
            "Terraform's templatefile extension"
        );
        assert!(!is_json_name("main.tf.json"));
        assert_eq!(by_content("#!/bin/bash\necho"), Some(SHELL));
        assert_eq!(
            by_content("# comment\nresource \"aws_iam_role\" \"r\" {\n"),
            Some(TERRAFORM)
        );
        assert_eq!(by_content("data: 1\n"), None);
        assert_eq!(by_content("resource: x\n"), None);
    }

    #[test]
    fn helm_templates_and_placeholders() {
        assert_eq!(
            helm_action("{{- if .Values.create }}\nkind: X\n", false),
            Some(0)
        );
        assert!(helm_action("name: {{ include \"x\" . }}\n", false).is_some());
        assert!(helm_action("name: \"{{ .Values.name | quote }}\"\n", false).is_some());
        assert!(
            helm_action("name: {{ .Values.name }}\n", false).is_some(),
            "unquoted in YAML"
        );
        assert_eq!(helm_action("name: \"{{ .Values.name }}\"\n", false), None);
        assert_eq!(helm_action("{\"a\": \"{{ .Values.name }}\"}", true), None);
        assert_eq!(helm_action("a: b\n", false), None);
        assert_eq!(
            helm_action("Name: {{resolve:ssm:/app/name}}\n", false),
            None,
            "CloudFormation dynamic reference"
        );
    }
}
