//! How the `inject` fuzz target reads its input, shared with the regression
//! tests (tests/tests/fuzz_regressions.rs) so that a saved crash replays
//! exactly: the first byte picks the webhook options, U+0001 splits the
//! ServiceAccount from the workload. Panics when the output does not read back
//! to the document it was made from.

use irsa_core::inject::{inject, InjectOptions};
use irsa_core::source::{self, Limits};

pub fn run(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let (sa, workload) = text.split_once('\u{1}').unwrap_or((text, ""));
    let options = InjectOptions {
        region: (flags & 1 != 0).then(|| "us-west-2".to_string()),
        sts_regional_endpoints: flags & 2 != 0,
        token_expiration: (flags & 4 != 0).then_some(i64::from(flags) * 7),
        pod_identity: flags & 16 != 0,
        ..InjectOptions::default()
    };
    let options = InjectOptions {
        audience: if flags & 8 != 0 {
            "custom.example".into()
        } else {
            options.audience.clone()
        },
        ..options
    };
    if let Ok(injected) = inject(sa, workload, &options) {
        // The output is in the input's format and reads back to the same document.
        let docs = source::parse_documents(&injected.text, &Limits::default())
            .unwrap_or_else(|e| panic!("injected output does not parse: {e}\n{}", injected.text));
        let back: Vec<_> = docs.iter().map(|d| d.root.to_json()).collect();
        assert_eq!(
            back,
            vec![injected.document.clone()],
            "reads back differently:\n{}",
            injected.text
        );
    }
}
