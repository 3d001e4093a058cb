//! Positions in a text: a byte offset as a span (line, column and offset
//! in characters), and a part of the text read as JSON where it stands
//! (a Terraform heredoc, a CloudFormation `!Sub |` block), in time linear
//! in the part, not in the whole text.

use crate::source::{self, Document, Limits, SourceError, Span};

/// A text with the byte and character offsets of its lines' starts.
pub struct Lines<'t> {
    /// The text.
    pub text: &'t str,
    /// Byte offset and character offset of each line's start.
    starts: Vec<(usize, usize)>,
}

impl<'t> Lines<'t> {
    /// The lines of `text`.
    pub fn new(text: &'t str) -> Self {
        let mut starts = vec![(0, 0)];
        let mut chars = 0;
        for (i, c) in text.char_indices() {
            chars += 1;
            if c == '\n' {
                starts.push((i + 1, chars));
            }
        }
        Lines { text, starts }
    }

    /// The span of a byte offset.
    pub fn at(&self, byte: usize) -> Span {
        let i = self.starts.partition_point(|(b, _)| *b <= byte).max(1) - 1;
        let (start, start_chars) = self.starts.get(i).copied().unwrap_or((0, 0));
        let column = self.text.get(start..byte).map_or(0, |l| l.chars().count());
        Span {
            line: u32::try_from(i + 1).unwrap_or(u32::MAX),
            column: u32::try_from(column + 1).unwrap_or(u32::MAX),
            offset: start_chars + column,
        }
    }

    /// The byte offset where the 1-based line `line` starts.
    pub fn start_of(&self, line: usize) -> Option<usize> {
        self.starts.get(line.checked_sub(1)?).map(|(b, _)| *b)
    }

    /// The bytes `start..end` read as one JSON document where they stand;
    /// what precedes `start` on its line is blanked.
    pub fn json_at(&self, start: usize, end: usize) -> Result<Document, SourceError> {
        let at = self.at(start);
        let pad = " ".repeat((at.column as usize).saturating_sub(1));
        let part = format!("{pad}{}", self.text.get(start..end).unwrap_or(""));
        let chars_before = at.offset - (at.column as usize - 1);
        source::read_json_at(&part, at.line - 1, chars_before, &Limits::default())
    }
}
