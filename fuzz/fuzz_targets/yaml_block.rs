//! The one-pass block YAML reader against saphyr's path: on any text, every
//! document the block reader reads is exactly saphyr's (tree, spans, counts),
//! under the default limits and under tight ones.
#![no_main]

use irsa_core::source::block_agree::block_reader_agrees;
use irsa_core::source::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let tight = Limits {
        max_depth: 4,
        max_nodes: 40,
        ..Limits::default()
    };
    for limits in [Limits::default(), tight] {
        if let Err(e) = block_reader_agrees(text, &limits) {
            panic!("{e}");
        }
    }
});
