//! The raw statements field: `permissions.statements` as JSON text, one
//! statement or an array of them. Core judges each statement (SPEC044);
//! this only reads the text, and says where it is not JSON, beside the
//! field, while the last valid artefacts stay (stale).

use irsa_core::{Diagnostic, Severity};
use serde_json::Value;

/// The statements of the field's text: none for a blank field, one for a
/// JSON object, the elements of a JSON array; the reason when it is neither.
pub fn read(text: &str) -> Result<Vec<Value>, String> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(statements)) => Ok(statements),
        Ok(statement @ Value::Object(_)) => Ok(vec![statement]),
        Ok(_) => Err("the statements are neither a JSON object nor an array of them".into()),
        Err(e) => Err(format!("the statements are not valid JSON: {e}")),
    }
}

/// The field's text for `statements` (what opening a spec puts in it).
pub fn text(statements: &[Value]) -> String {
    if statements.is_empty() {
        return String::new();
    }
    serde_json::to_string_pretty(statements).unwrap_or_default()
}

/// The error shown beside the field of binding `binding` when its text is
/// not JSON (at the statements' path, so the field's finding placement
/// puts it there).
pub fn problem(binding: usize, text: &str) -> Option<Diagnostic> {
    let message = read(text).err()?;
    let mut d = Diagnostic::new(
        "SPEC044",
        Severity::Error,
        message,
        "write the statements as in an IAM policy's Statement: [{\"Effect\": \"Allow\", \"Action\": [...], \"Resource\": ...}]",
    );
    d.path = Some(format!("bindings[{binding}].permissions.statements"));
    Some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_read_from_an_object_an_array_or_nothing() {
        assert_eq!(read("  \n"), Ok(Vec::new()));
        let one = read(r#"{"Effect": "Allow"}"#).unwrap();
        assert_eq!(one.len(), 1);
        let two = read(r#"[{"Effect": "Allow"}, {"Effect": "Deny"}]"#).unwrap();
        assert_eq!(two.len(), 2);
        assert_eq!(read(&text(&two)).unwrap(), two);
        assert_eq!(text(&[]), "");
    }

    #[test]
    fn text_that_is_not_json_says_where() {
        let e = read(r#"[{"Effect": "Allow",}]"#).unwrap_err();
        assert!(e.contains("line 1 column"), "{e}");
        assert!(read("42").is_err());
        let d = problem(2, "{").unwrap();
        assert_eq!(
            d.path.as_deref(),
            Some("bindings[2].permissions.statements")
        );
        assert_eq!(d.severity, Severity::Error);
        assert!(problem(0, "[]").is_none());
    }
}
