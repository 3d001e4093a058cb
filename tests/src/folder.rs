//! A fixture folder's files, as the checker's tests read them.

use std::path::Path;

/// The files directly in `dir` as (name, text), sorted by name: the order a
/// snapshot shows them in whatever order the file system lists them. A
/// folder that does not exist has none (a fixture may leave one out).
///
/// # Panics
/// On a file that cannot be read as UTF-8 text: a broken fixture.
#[allow(clippy::unwrap_used)]
pub fn folder_files(dir: &Path) -> Vec<(String, String)> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<(String, String)> = entries
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    files.sort();
    files
}
