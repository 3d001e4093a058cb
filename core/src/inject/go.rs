//! Annotation values read the way the webhook (a Go program) reads them:
//! `strconv.ParseBool`, `strconv.ParseInt(s, 10, 64)` and the first record of
//! an `encoding/csv` reader with its defaults (comma-separated, no trimming,
//! strict quotes, empty lines skipped). A value these refuse is ignored by the
//! webhook, so the same value must be ignored here.

/// `strconv.ParseBool`: exactly these spellings, nothing else (no trimming).
pub fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "TRUE" | "true" | "True" => Some(true),
        "0" | "f" | "F" | "FALSE" | "false" | "False" => Some(false),
        _ => None,
    }
}

/// `strconv.ParseInt(s, 10, 64)`: an optional sign, then decimal digits, in
/// the range of an int64. Rust's `i64::from_str` accepts exactly that set
/// (no spaces, no underscores, `+` allowed).
pub fn parse_int(s: &str) -> Option<i64> {
    s.parse::<i64>().ok()
}

/// The first record of `encoding/csv`'s `Reader.Read` with default settings,
/// or None where Go returns an error (`io.EOF` for no record, `ErrBareQuote`,
/// `ErrQuote`).
pub fn first_csv_record(s: &str) -> Option<Vec<String>> {
    let text = s.replace("\r\n", "\n");
    // Empty lines before the first record are skipped.
    let text = text.trim_start_matches('\n');
    if text.is_empty() {
        return None;
    }
    let mut chars = text.chars().peekable();
    let mut fields = Vec::new();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next() {
                    None => return None,
                    Some('"') => match chars.peek() {
                        Some('"') => {
                            field.push('"');
                            chars.next();
                        }
                        Some(',') => {
                            chars.next();
                            fields.push(field);
                            break;
                        }
                        None | Some('\n') => {
                            fields.push(field);
                            return Some(fields);
                        }
                        Some(_) => return None,
                    },
                    Some(c) => field.push(c),
                }
            }
        } else {
            loop {
                match chars.next() {
                    None | Some('\n') => {
                        fields.push(field);
                        return Some(fields);
                    }
                    Some(',') => {
                        fields.push(field);
                        break;
                    }
                    Some('"') => return None,
                    Some(c) => field.push(c),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bools_are_go_spellings_only() {
        assert_eq!(parse_bool("True"), Some(true));
        assert_eq!(parse_bool("F"), Some(false));
        for refused in ["tRuE", " true", "yes", "on", "", "true\n"] {
            assert_eq!(parse_bool(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn ints_take_a_sign_but_no_space() {
        assert_eq!(parse_int("+3600"), Some(3600));
        assert_eq!(parse_int("-1"), Some(-1));
        assert_eq!(parse_int("007"), Some(7));
        for refused in [" 3600", "3600s", "3_600", "", "+", "9223372036854775808"] {
            assert_eq!(parse_int(refused), None, "{refused:?}");
        }
    }

    #[test]
    fn csv_first_record_as_go_reads_it() {
        let rec = |s: &str| first_csv_record(s);
        assert_eq!(rec("a,b"), Some(vec!["a".into(), "b".into()]));
        assert_eq!(rec("a, b"), Some(vec!["a".into(), " b".into()]));
        assert_eq!(rec("\n\nsidecar\nother"), Some(vec!["sidecar".into()]));
        assert_eq!(rec("\"a,b\",c"), Some(vec!["a,b".into(), "c".into()]));
        assert_eq!(rec("\"say \"\"hi\"\"\""), Some(vec!["say \"hi\"".into()]));
        assert_eq!(rec("a,"), Some(vec!["a".into(), String::new()]));
        assert_eq!(rec("a\"b"), None);
        assert_eq!(rec("\"a\" b"), None);
        assert_eq!(rec("\"open"), None);
        assert_eq!(rec(""), None);
    }
}
