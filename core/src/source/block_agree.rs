//! The one-pass block reader held to saphyr's path on one text: whatever
//! document it reads must be exactly what saphyr reads (tree, spans, node and
//! document counts). Compiled for the tests and for the `yaml_block` fuzz
//! target (feature `fuzzing`), never into the tool.

use super::block;
use super::builder::parse_chunk;
use super::limits::{Budget, Limits};
use super::{documents_of, Shift};

/// How many documents of `text` the block reader read, each the same as
/// saphyr's; the first difference, described, otherwise.
pub fn block_reader_agrees(text: &str, limits: &Limits) -> Result<usize, String> {
    let mut read = 0;
    for (chunk, shift) in documents_of(text) {
        if agree(chunk, shift, limits)? {
            read += 1;
        }
    }
    Ok(read)
}

/// One document, from a budget already spent in part (as in a stream).
fn agree(chunk: &str, shift: Shift, limits: &Limits) -> Result<bool, String> {
    let prior = Budget {
        nodes: 3,
        documents: 1,
        ..Budget::default()
    };
    let mut fast_budget = Budget { ..prior };
    let Some(doc) = block::read(chunk, limits, &mut fast_budget, shift) else {
        return Ok(false);
    };
    let mut slow_budget = Budget { ..prior };
    let slow = parse_chunk(chunk, limits, &mut slow_budget, shift);
    let (want, got) = (
        format!("{:?}", slow.as_deref()),
        format!("{:?}", Ok::<_, ()>(&[doc][..])),
    );
    if want != got {
        let at = want
            .bytes()
            .zip(got.bytes())
            .take_while(|(a, b)| a == b)
            .count();
        return Err(format!(
            "tree of {chunk:?}: saphyr ...{} block ...{}",
            want.get(at.saturating_sub(150)..).unwrap_or(""),
            got.get(at.saturating_sub(150)..).unwrap_or("")
        ));
    }
    let (fast, slow) = (
        (fast_budget.nodes, fast_budget.documents),
        (slow_budget.nodes, slow_budget.documents),
    );
    if fast != slow {
        return Err(format!(
            "budget of {chunk:?}: saphyr {slow:?} block {fast:?}"
        ));
    }
    Ok(true)
}
