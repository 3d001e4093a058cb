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

/// `--set NAME=VALUE` and `--set-file FILE`: values for placeholders, filled
/// into the input before it is read (core's `placeholder::fill`).
#[derive(Debug, Clone, Default, clap::Args)]
pub struct SetArgs {
    /// Fill a placeholder before reading: `${NAME}`, `$NAME`, `<NAME>`,
    /// `<<NAME>>`, `{{ .Values.NAME }}`, or the word NAME where an account,
    /// region or issuer belongs (repeatable; wins over --set-file).
    #[arg(long = "set", value_name = "NAME=VALUE", value_parser = parse_set)]
    set: Vec<(String, String)>,
    /// A file of NAME=VALUE lines (a .env file: `#` comments, `export`, quotes) to fill placeholders with.
    #[arg(long = "set-file", value_name = "FILE")]
    set_file: Vec<String>,
}

fn parse_set(s: &str) -> Result<(String, String), String> {
    irsa_core::placeholder::parse_assignment(s)
}

impl SetArgs {
    /// The values, files first and `--set` after (so `--set` wins).
    pub fn values(&self) -> Result<irsa_core::placeholder::Values, String> {
        let mut values = irsa_core::placeholder::Values::new();
        for path in &self.set_file {
            let file = read(path)?;
            let pairs = irsa_core::placeholder::parse_assignments(&file.text)
                .map_err(|(line, e)| format!("{}:{line}: {e}", file.name))?;
            values.extend(pairs);
        }
        values.extend(self.set.iter().cloned());
        Ok(values)
    }

    /// Reads every path (stdin for `-`) and fills its placeholders; the
    /// warnings are the `--set` names that filled nothing in any of them.
    pub fn read_filled(
        &self,
        paths: &[&str],
    ) -> Result<(Vec<Input>, Vec<irsa_core::Diagnostic>), String> {
        let values = self.values()?;
        let mut used = std::collections::BTreeSet::new();
        let mut inputs = Vec::new();
        for path in paths {
            let mut input = read(path)?;
            let filled = irsa_core::placeholder::fill(&input.text, &values);
            input.text = filled.text;
            used.extend(filled.used);
            inputs.push(input);
        }
        Ok((inputs, irsa_core::placeholder::unused(&values, &used)))
    }
}
