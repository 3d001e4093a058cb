//! `load_spec` on any text (YAML or JSON); a valid spec is also generated, and
//! every YAML/JSON artefact must read back to the documents it was made from.
#![no_main]

use irsa_core::source::{self, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let validated = irsa_core::load_spec(text, Some("spec.yaml"));
    let Some(spec) = validated.spec.as_ref() else {
        assert!(
            !validated.diagnostics.is_empty(),
            "an invalid spec without a diagnostic"
        );
        return;
    };
    let Ok(bundle) = irsa_core::generate(spec) else {
        return;
    };
    for binding in &bundle.bindings {
        for a in &binding.artefacts {
            if a.documents.is_empty() {
                continue;
            }
            let docs = source::parse_documents(&a.text, &Limits::default())
                .unwrap_or_else(|e| panic!("{} does not parse back: {e}\n{}", a.file, a.text));
            let back: Vec<_> = docs.iter().map(|d| d.root.to_json()).collect();
            assert_eq!(back, a.documents, "{} reads back differently", a.file);
        }
    }
});
