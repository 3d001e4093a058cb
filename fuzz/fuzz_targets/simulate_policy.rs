//! `simulate --policy`: the first line is `ACTION RESOURCE [KEY=VALUE ...]`,
//! the rest is the permissions policy. Any text ends in a decision or in
//! diagnostics, and a decision is consistent with what decided it.
#![no_main]

use irsa_core::eval::permissions::{simulate_permissions, PermissionsRequest};
use irsa_core::eval::Decision;
use irsa_core::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, policy) = text.split_once('\n').unwrap_or(("", text));
    let mut words = head.split(' ');
    let mut request = PermissionsRequest {
        action: words.next().unwrap_or_default().to_string(),
        resource: words.next().unwrap_or_default().to_string(),
        ..PermissionsRequest::default()
    };
    for pair in words {
        if let Some((k, v)) = pair.split_once('=') {
            request.context.entry(k.to_string()).or_default().push(v.to_string());
        }
    }
    let files = [SourceFile {
        name: "policy.json".into(),
        text: policy.to_string(),
    }];
    if let Ok(sim) = simulate_permissions(&files, None, &request) {
        match sim.decision {
            Decision::Allow => assert!(sim.statement.is_some() && sim.depends_on.is_empty()),
            Decision::Conditional => assert!(!sim.depends_on.is_empty()),
            Decision::Deny => assert!(!sim.explicit || sim.statement.is_some()),
        }
    }
});
