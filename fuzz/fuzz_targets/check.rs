//! `check` over 1 to 4 files: the input is split at U+0001; the first byte
//! says which files are named `.json` (bit i for file i).
#![no_main]

use irsa_core::check::{CheckOptions, SourceFile};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let files: Vec<SourceFile> = text
        .splitn(4, '\u{1}')
        .enumerate()
        .map(|(i, t)| SourceFile {
            name: if flags & (1 << i) != 0 {
                format!("f{i}.json")
            } else {
                format!("f{i}.yaml")
            },
            text: t.to_string(),
        })
        .collect();
    let _ = irsa_core::check(&files, &CheckOptions::default());
});
