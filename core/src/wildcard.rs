//! IAM's wildcard matching: `*` any run of characters, `?` exactly one,
//! everything else itself. The evaluator matches condition values and
//! resources with it (after policy variables, `eval::pattern`), the trust
//! model actions and the placeholder reader masked text; it sits below all
//! three so that none of them imports another for it.

/// One piece of a resolved value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// This character.
    Char(char),
    /// `*`: any run of characters.
    AnyRun,
    /// `?`: exactly one character.
    AnyOne,
}

/// `*`/`?` wildcard matching of plain text (no variables), case-sensitive.
pub fn wildcard(pattern: &str, text: &str) -> bool {
    let pieces: Vec<Piece> = pattern
        .chars()
        .map(|c| match c {
            '*' => Piece::AnyRun,
            '?' => Piece::AnyOne,
            c => Piece::Char(c),
        })
        .collect();
    matches(&pieces, text, false)
}

/// Does `text` match the pieces? Case-sensitive; `ignore_case` compares lower-cased.
pub fn matches(pieces: &[Piece], text: &str, ignore_case: bool) -> bool {
    let fold = |c: char| {
        if ignore_case {
            c.to_lowercase().next().unwrap_or(c)
        } else {
            c
        }
    };
    let t: Vec<char> = text.chars().map(fold).collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match pieces.get(pi) {
            Some(Piece::AnyRun) => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(Piece::AnyOne) => {
                pi += 1;
                ti += 1;
            }
            Some(Piece::Char(c)) if Some(&fold(*c)) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pieces
        .get(pi..)
        .is_some_and(|rest| rest.iter().all(|p| *p == Piece::AnyRun))
}
