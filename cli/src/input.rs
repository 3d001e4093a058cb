//! Reading inputs: files, or standard input for `-`.

use std::io::Read;

/// A text read from a file or stdin, with the name diagnostics show.
pub struct Input {
    /// The file name, or `<stdin>`.
    pub name: String,
    /// The whole text.
    pub text: String,
}

/// Reads `path`, or standard input when it is `-`. Never holds more than the
/// core's input size limit (plus one byte) in memory: a larger input is an
/// error naming that limit.
pub fn read(path: &str) -> Result<Input, String> {
    let max = irsa_core::source::Limits::default().max_bytes;
    let (name, reader): (String, Box<dyn Read>) = if path == "-" {
        ("<stdin>".into(), Box::new(std::io::stdin()))
    } else {
        let file = std::fs::File::open(path).map_err(|e| format!("cannot read {path}: {e}"))?;
        (path.to_string(), Box::new(file))
    };
    let mut text = String::new();
    reader
        .take(u64::try_from(max).unwrap_or(u64::MAX).saturating_add(1))
        .read_to_string(&mut text)
        .map_err(|e| format!("cannot read {name}: {e}"))?;
    if text.len() > max {
        return Err(format!(
            "{name} is larger than the input size limit of {max} bytes"
        ));
    }
    Ok(Input { name, text })
}
