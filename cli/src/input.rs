//! Reading inputs: files, or standard input for `-`.

use std::io::Read;

/// A text read from a file or stdin, with the name diagnostics show.
pub struct Input {
    /// The file name, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Reads `path`, or standard input when it is `-`.
pub fn read(path: &str) -> Result<Input, String> {
    if path == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        return Ok(Input {
            name: "<stdin>".into(),
            text,
        });
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    Ok(Input {
        name: path.to_string(),
        text,
    })
}
