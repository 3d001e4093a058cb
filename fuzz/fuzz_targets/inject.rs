//! `inject`: the input is split at U+0001 into the ServiceAccount and the
//! workload; the first byte picks the webhook options (see harness/inject.rs).
#![no_main]

#[path = "../harness/inject.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| harness::run(data));
