//! The part of a file shown around a finding, found in time linear in the
//! file however many findings point into it.
//!
//! miette scans a source from its start for every report, so each report
//! gets a [`Window`] of its own: the few short lines around the finding, or,
//! on a long line (minified JSON, hostile input), the characters around the
//! column between ellipses. Copying and scanning a 2.5 MB file for each of
//! 9,000 findings took 47 s; finding each column by walking its 5 MiB line
//! from the start took 117 s. Now each line is walked once for all the
//! findings on it, and each window is small.

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Longest line shown whole, in bytes; a longer one is shown as a window.
pub const MAX_LINE: usize = 400;

/// Characters shown on each side of the column in a long line.
pub const AROUND: usize = 40;

/// Lines shown around a finding at most (miette shows one line of context).
const CONTEXT_LINES: usize = 3;

const ELLIPSIS: &str = "…";

/// A finding's 1-based line and column (in characters), as it gives them.
pub type Point = (u32, u32);

/// Where a finding points in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spot {
    /// Byte offset in the file.
    pub offset: usize,
    /// 0-based line.
    pub line: usize,
    /// 0-based column, in characters (at most the line's length).
    pub column: usize,
}

/// A file and where its lines start.
#[derive(Debug)]
pub struct Source<'a> {
    name: &'a str,
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Source<'a> {
    /// Indexes the lines of `text`.
    pub fn new(name: &'a str, text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        Self { name, text, starts }
    }

    /// The byte range of 0-based `line`, without its line break.
    fn line(&self, line: usize) -> Option<(usize, usize)> {
        let start = *self.starts.get(line)?;
        let end = self
            .starts
            .get(line + 1)
            .map_or(self.text.len(), |next| next - 1);
        Some((start, end))
    }

    /// Where each 1-based (line, column in characters) points; a column
    /// past the end of its line points at the end. The points are visited
    /// in order, so that each line is walked once from its start for all
    /// the findings on it.
    pub fn locate(&self, points: &[Point]) -> Vec<Option<Spot>> {
        let mut order: Vec<(usize, usize, usize)> = points
            .iter()
            .enumerate()
            .map(|(i, &(l, c))| (to_index(l), to_index(c), i))
            .collect();
        order.sort_unstable();
        let mut spots = vec![None; points.len()];
        // The last spot found: a later column on its line walks on from it.
        let mut last: Option<Spot> = None;
        for (line, column, i) in order {
            let Some((start, end)) = self.line(line) else {
                continue;
            };
            let mut spot = match last {
                Some(s) if s.line == line => s,
                _ => Spot {
                    offset: start,
                    line,
                    column: 0,
                },
            };
            let rest = self.text.get(spot.offset..end).unwrap_or("");
            for c in rest.chars().take(column.saturating_sub(spot.column)) {
                spot.offset += c.len_utf8();
                spot.column += 1;
            }
            last = Some(spot);
            if let Some(slot) = spots.get_mut(i) {
                *slot = Some(spot);
            }
        }
        spots
    }

    /// The window for a finding at `spot`; without a spot, an empty one
    /// (there is no label to show).
    pub fn window(&self, spot: Option<Spot>) -> Window {
        let Some(spot) = spot else {
            return Window::new(self.name, String::new(), 0, None, Hidden::default());
        };
        let Some((start, end)) = self.line(spot.line) else {
            let nothing = String::new();
            return Window::new(self.name, nothing, spot.line, None, Hidden::default());
        };
        if end - start > MAX_LINE {
            return self.long_line(spot, start, end);
        }
        // Up to CONTEXT_LINES short lines on each side.
        let short = |l: &usize| self.line(*l).is_some_and(|(s, e)| e - s <= MAX_LINE);
        let first = (spot.line.saturating_sub(CONTEXT_LINES)..spot.line)
            .rev()
            .take_while(short)
            .last()
            .unwrap_or(spot.line);
        let last = (spot.line + 1..=spot.line + CONTEXT_LINES)
            .take_while(short)
            .last()
            .unwrap_or(spot.line);
        let from = self.starts.get(first).copied().unwrap_or(0);
        let to = self
            .starts
            .get(last + 1)
            .copied()
            .unwrap_or(self.text.len());
        let text = self.text.get(from..to).unwrap_or("").to_string();
        let label = Some(spot.offset - from);
        Window::new(self.name, text, first, label, Hidden::default())
    }

    /// [`AROUND`] characters on each side of the finding's, and an ellipsis
    /// where the line goes on.
    fn long_line(&self, spot: Spot, start: usize, end: usize) -> Window {
        let before = self.text.get(start..spot.offset).unwrap_or("");
        let after = self.text.get(spot.offset..end).unwrap_or("");
        let from = before
            .char_indices()
            .rev()
            .nth(AROUND - 1)
            .map_or(start, |(i, _)| start + i);
        let to = after
            .char_indices()
            .nth(AROUND + 1)
            .map_or(end, |(i, _)| spot.offset + i);
        let mut text = String::new();
        if from > start {
            text.push_str(ELLIPSIS);
        }
        let label = text.len() + (spot.offset - from);
        // The column shown counts the bytes left out, not the ellipsis.
        let hidden = Hidden {
            left_out: from - start,
            ellipsis: text.len(),
        };
        text.push_str(self.text.get(from..to).unwrap_or(""));
        if to < end {
            text.push_str(ELLIPSIS);
        }
        Window::new(self.name, text, spot.line, Some(label), hidden)
    }
}

/// The part of a long line before its window: miette counts columns in
/// bytes from the start of the line it shows.
#[derive(Debug, Clone, Copy, Default)]
struct Hidden {
    /// Bytes of the line before the window.
    left_out: usize,
    /// Bytes of the ellipsis that stands for them.
    ellipsis: usize,
}

fn to_index(n: u32) -> usize {
    usize::try_from(n.max(1) - 1).unwrap_or(usize::MAX)
}

/// The few lines of a file around a finding, standing in for the whole file,
/// with control characters escaped (crate::escape).
#[derive(Debug)]
pub struct Window {
    name: String,
    /// The lines of the window.
    text: String,
    /// 0-based line of the window's first line in the file.
    first_line: usize,
    /// Byte offset of the finding in `text`.
    pub label: Option<usize>,
    /// What of the finding's line the window leaves out before it, so that
    /// the column shown is the file's.
    hidden: Hidden,
    /// Characters that escaping added before the finding on its line.
    escaped_before: usize,
}

impl Window {
    fn new(
        name: &str,
        text: String,
        first_line: usize,
        label: Option<usize>,
        hidden: Hidden,
    ) -> Self {
        // Untrusted text reaches the terminal escaped, and the label moves
        // past the escapes before it.
        let mut escaped_before = 0;
        if let Some(at) = label {
            let before = text.get(..at).unwrap_or("");
            let line = before
                .rfind('\n')
                .map_or(before, |i| before.get(i + 1..).unwrap_or(""));
            escaped_before = crate::escape::controls(line).chars().count() - line.chars().count();
        }
        Self {
            name: crate::escape::controls(name).into_owned(),
            label: label.map(|at| crate::escape::shifted(&text, at)),
            text: crate::escape::controls(&text).into_owned(),
            first_line,
            hidden,
            escaped_before,
        }
    }
}

impl SourceCode for Window {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let inner =
            self.text
                .as_str()
                .read_span(span, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            *inner.span(),
            inner.line() + self.first_line,
            (inner.column() + self.hidden.left_out)
                .saturating_sub(self.hidden.ellipsis + self.escaped_before),
            inner.line_count(),
        )))
    }
}

#[cfg(test)]
// A panic in a test is a failed test.
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod tests {
    use super::*;

    #[test]
    fn spots_in_characters_clamped_to_the_line() {
        let s = Source::new("f", "ab\ncdé\nf");
        let spots = s.locate(&[(1, 1), (2, 3), (3, 1), (4, 1), (2, 9), (2, 1)]);
        let offsets: Vec<_> = spots.iter().map(|s| s.map(|s| s.offset)).collect();
        assert_eq!(offsets, [Some(0), Some(5), Some(8), None, Some(7), Some(3)]);
        assert_eq!(spots[4].unwrap().column, 3, "the end of `cdé`");
    }

    #[test]
    fn a_long_line_is_windowed_around_the_column() {
        let line = format!("{}X{}", "é".repeat(1000), "b".repeat(1000));
        let s = Source::new("f", &line);
        let spot = s.locate(&[(1, 1001)])[0].unwrap();
        let w = s.window(Some(spot));
        let label = w.label.unwrap();
        assert_eq!(w.text.get(label..label + 1), Some("X"));
        assert_eq!(
            w.text,
            format!("…{}X{}…", "é".repeat(AROUND), "b".repeat(AROUND))
        );
        // The column shown is the file's: 1000 `é` (2,000 bytes, as miette
        // counts) before X.
        let shown = w.read_span(&(label, 1).into(), 0, 0).unwrap();
        assert_eq!(shown.column(), 2000);
    }
}
