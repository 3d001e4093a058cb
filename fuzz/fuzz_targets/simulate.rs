//! `simulate`: the first line is `NAMESPACE SERVICE_ACCOUNT [AUDIENCE [ISSUER [ROLE_ARN]]]`,
//! the rest is the trust policy.
#![no_main]

use irsa_core::eval::{simulate, Decision, SimulateRequest};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (head, trust) = text.split_once('\n').unwrap_or(("", text));
    let mut words = head.split(' ');
    let request = SimulateRequest {
        namespace: words.next().unwrap_or_default().to_string(),
        service_account: words.next().unwrap_or_default().to_string(),
        audience: words.next().map(str::to_string),
        issuer: words.next().map(str::to_string),
        role_arn: words.next().map(str::to_string),
        ..SimulateRequest::default()
    };
    if let Ok(sim) = simulate(trust, &request) {
        assert!(!sim.results.is_empty());
        let any_allow = sim
            .results
            .iter()
            .any(|r| r.evaluation.decision == Decision::Allow);
        assert_eq!(any_allow, sim.decision == Decision::Allow);
    }
});
