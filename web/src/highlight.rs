//! Light syntax colouring for the output panels.
//!
//! A line is split into classified slices of itself; [`to_html`] writes each
//! slice, escaped, inside a `<span class=...>`, so no user text is ever
//! interpreted as HTML. Concatenating the slices gives the line back exactly.
//! One HTML string per pane (set as the pane's markup) costs a fraction of a
//! virtual DOM node per token: that keeps a keystroke within one frame with
//! every panel open.

use std::fmt::Write;
use std::rc::Rc;

use crate::state::Lang;

/// The pane's markup: one `<span class="ln" data-line="N">` per line (class
/// `hl` and id `hl-line` on `highlight`), tokens in `<span class="t-...">`,
/// every character of `text` escaped. Its text content is `text` with a
/// newline after each line. It is [`lines_html`] joined.
pub fn to_html(text: &str, lang: Lang, highlight: Option<u32>) -> String {
    let mut out = String::with_capacity(text.len() * 3);
    for (i, l) in text.lines().enumerate() {
        line_html(&mut out, l, i + 1, lang, highlight);
    }
    out
}

/// The pane's markup line by line: a pane renders each line as its own
/// markup, so a keystroke that changes one line of a pane hands the browser
/// that line to parse and lay out again, not the whole pane.
pub fn lines_html(text: &str, lang: Lang, highlight: Option<u32>) -> Vec<String> {
    text.lines()
        .enumerate()
        .map(|(i, l)| {
            let mut out = String::with_capacity(l.len() * 3 + 40);
            line_html(&mut out, l, i + 1, lang, highlight);
            out
        })
        .collect()
}

/// A pane's lines, each with its markup ([`lines_html`]), kept from one
/// text to the next: a keystroke colours again only the lines it changed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines {
    /// The language and marked line the markup was written for.
    written_for: Option<(Lang, Option<u32>)>,
    /// Each line's text and markup.
    lines: Vec<(Rc<str>, Rc<str>)>,
}

impl Lines {
    /// `text`'s lines, the markup of each line that is as it was here (same
    /// text, same number, same language and marked line) reused.
    pub fn next(&self, text: &str, lang: Lang, highlight: Option<u32>) -> Lines {
        let same = self.written_for == Some((lang, highlight));
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| match self.lines.get(i) {
                Some((was, markup)) if same && **was == *l => (Rc::clone(was), Rc::clone(markup)),
                _ => {
                    let mut out = String::with_capacity(l.len() * 3 + 40);
                    line_html(&mut out, l, i + 1, lang, highlight);
                    (Rc::from(l), Rc::from(out))
                }
            })
            .collect();
        Lines {
            written_for: Some((lang, highlight)),
            lines,
        }
    }

    /// Each line's markup, in order.
    pub fn markup(&self) -> impl Iterator<Item = &Rc<str>> {
        self.lines.iter().map(|(_, m)| m)
    }
}

/// Appends line `n` (`text`) as its `<span class="ln">`.
fn line_html(out: &mut String, text: &str, n: usize, lang: Lang, highlight: Option<u32>) {
    if u32::try_from(n).ok() == highlight {
        out.push_str("<span class=\"ln hl\" id=\"hl-line\" data-line=\"");
    } else {
        out.push_str("<span class=\"ln\" data-line=\"");
    }
    let _ = write!(out, "{n}");
    out.push_str("\">");
    for (class, tok) in line(text, lang) {
        match class {
            Class::Plain => escape(out, tok),
            c => {
                out.push_str("<span class=\"");
                out.push_str(c.css());
                out.push_str("\">");
                escape(out, tok);
                out.push_str("</span>");
            }
        }
    }
    out.push_str("\n</span>");
}

/// Appends `text` with the characters HTML gives a meaning escaped (the
/// runs between them copied whole).
fn escape(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(at) = rest.find(['&', '<', '>', '"', '\'']) {
        let (run, from) = rest.split_at(at);
        out.push_str(run);
        let mut chars = from.chars();
        out.push_str(match chars.next() {
            Some('&') => "&amp;",
            Some('<') => "&lt;",
            Some('>') => "&gt;",
            Some('"') => "&quot;",
            _ => "&#39;",
        });
        rest = chars.as_str();
    }
    out.push_str(rest);
}

/// The class of a token (a CSS class `t-...`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// A mapping key.
    Key,
    /// A string value.
    Str,
    /// A number.
    Num,
    /// `true`, `false`, `null`.
    Lit,
    /// Brackets, colons, commas, `-` and `---`.
    Punct,
    /// A comment.
    Comment,
    /// Everything else (white space).
    Plain,
}

impl Class {
    /// The CSS class.
    pub fn css(self) -> &'static str {
        match self {
            Class::Key => "t-key",
            Class::Str => "t-str",
            Class::Num => "t-num",
            Class::Lit => "t-lit",
            Class::Punct => "t-punct",
            Class::Comment => "t-comment",
            Class::Plain => "",
        }
    }
}

/// The tokens of one line.
pub fn line(text: &str, lang: Lang) -> Vec<(Class, &str)> {
    match lang {
        Lang::Json => json_line(text),
        Lang::Yaml => yaml_line(text),
        Lang::Plain => vec![(Class::Plain, text)],
    }
}

fn json_line(text: &str) -> Vec<(Class, &str)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let (class, len) = match c {
            '"' => {
                let len = string_len(rest);
                let after = rest.get(len..).unwrap_or("").trim_start();
                let class = if after.starts_with(':') {
                    Class::Key
                } else {
                    Class::Str
                };
                (class, len)
            }
            '{' | '}' | '[' | ']' | ',' | ':' => (Class::Punct, 1),
            c if c.is_whitespace() => (Class::Plain, run(rest, char::is_whitespace)),
            c if c == '-' || c.is_ascii_digit() => (
                Class::Num,
                run(rest, |c| {
                    c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | 'e' | 'E')
                }),
            ),
            c if c.is_alphabetic() => {
                let len = run(rest, char::is_alphanumeric);
                let word = rest.get(..len).unwrap_or("");
                let class = if matches!(word, "true" | "false" | "null") {
                    Class::Lit
                } else {
                    Class::Plain
                };
                (class, len)
            }
            c => (Class::Plain, c.len_utf8()),
        };
        let (tok, tail) = rest.split_at(len.max(1).min(rest.len()));
        push(&mut out, class, tok);
        rest = tail;
    }
    out
}

/// Length in bytes of the JSON string at the start of `s` (to the closing quote, or the end).
fn string_len(s: &str) -> usize {
    let mut escaped = false;
    for (i, c) in s.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return i + 1,
            _ => escaped = false,
        }
    }
    s.len()
}

/// Length in bytes of the leading run of characters matching `f`.
fn run(s: &str, f: impl Fn(char) -> bool) -> usize {
    s.char_indices()
        .find(|(_, c)| !f(*c))
        .map_or(s.len(), |(i, _)| i)
}

fn push<'a>(out: &mut Vec<(Class, &'a str)>, class: Class, tok: &'a str) {
    if !tok.is_empty() {
        out.push((class, tok));
    }
}

fn yaml_line(text: &str) -> Vec<(Class, &str)> {
    let mut out = Vec::new();
    let indent = run(text, |c| c == ' ');
    let (lead, mut rest) = text.split_at(indent);
    push(&mut out, Class::Plain, lead);
    if rest.starts_with('#') {
        push(&mut out, Class::Comment, rest);
        return out;
    }
    if rest == "---" || rest == "..." {
        push(&mut out, Class::Punct, rest);
        return out;
    }
    // Sequence markers: "- - key: value"
    while rest.starts_with("- ") || rest == "-" {
        let (dash, tail) = rest.split_at(1);
        push(&mut out, Class::Punct, dash);
        let spaces = run(tail, |c| c == ' ');
        let (ws, tail) = tail.split_at(spaces);
        push(&mut out, Class::Plain, ws);
        rest = tail;
    }
    let key_end = if rest.starts_with(['"', '\'', '{', '[']) {
        None
    } else {
        rest.find(": ")
            .or_else(|| rest.ends_with(':').then(|| rest.len() - 1))
    };
    if let Some(k) = key_end {
        let (key, tail) = rest.split_at(k);
        push(&mut out, Class::Key, key);
        let (colon, tail) = tail.split_at(1);
        push(&mut out, Class::Punct, colon);
        let spaces = run(tail, |c| c == ' ');
        let (ws, tail) = tail.split_at(spaces);
        push(&mut out, Class::Plain, ws);
        rest = tail;
    }
    push(&mut out, yaml_scalar(rest), rest);
    out
}

fn yaml_scalar(s: &str) -> Class {
    match s {
        "true" | "false" | "null" | "~" => Class::Lit,
        "{}" | "[]" | "|" | "|-" | ">" | ">-" => Class::Punct,
        _ if s.starts_with('#') => Class::Comment,
        _ if !s.is_empty() && s.parse::<f64>().is_ok() => Class::Num,
        _ => Class::Str,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(line_text: &str, lang: Lang) -> Vec<(Class, String)> {
        line(line_text, lang)
            .into_iter()
            .filter(|(c, _)| *c != Class::Plain)
            .map(|(c, t)| (c, t.to_string()))
            .collect()
    }

    #[test]
    fn json_keys_strings_and_punctuation() {
        assert_eq!(
            classes(r#"  "Effect": "Allow","#, Lang::Json),
            vec![
                (Class::Key, r#""Effect""#.into()),
                (Class::Punct, ":".into()),
                (Class::Str, r#""Allow""#.into()),
                (Class::Punct, ",".into()),
            ]
        );
        assert_eq!(
            classes(r#""a\"b": [1, -2.5e3, true, null]"#, Lang::Json),
            vec![
                (Class::Key, r#""a\"b""#.into()),
                (Class::Punct, ":".into()),
                (Class::Punct, "[".into()),
                (Class::Num, "1".into()),
                (Class::Punct, ",".into()),
                (Class::Num, "-2.5e3".into()),
                (Class::Punct, ",".into()),
                (Class::Lit, "true".into()),
                (Class::Punct, ",".into()),
                (Class::Lit, "null".into()),
                (Class::Punct, "]".into()),
            ]
        );
    }

    #[test]
    fn yaml_keys_values_and_markers() {
        assert_eq!(
            classes(
                r#"    eks.amazonaws.com/token-expiration: "86400""#,
                Lang::Yaml
            ),
            vec![
                (Class::Key, "eks.amazonaws.com/token-expiration".into()),
                (Class::Punct, ":".into()),
                (Class::Str, r#""86400""#.into()),
            ]
        );
        assert_eq!(
            classes("  - name: app", Lang::Yaml),
            vec![
                (Class::Punct, "-".into()),
                (Class::Key, "name".into()),
                (Class::Punct, ":".into()),
                (Class::Str, "app".into()),
            ]
        );
        assert_eq!(
            classes("replicas: 1", Lang::Yaml).last().unwrap().0,
            Class::Num
        );
        assert_eq!(
            classes("metadata:", Lang::Yaml),
            vec![(Class::Key, "metadata".into()), (Class::Punct, ":".into())]
        );
        assert_eq!(
            classes("---", Lang::Yaml),
            vec![(Class::Punct, "---".into())]
        );
        assert_eq!(
            classes("# note: x", Lang::Yaml),
            vec![(Class::Comment, "# note: x".into())]
        );
    }

    /// The text content of markup made by [`to_html`]: tags dropped, the
    /// five escapes undone.
    fn text_of(html: &str) -> String {
        let mut out = String::new();
        let mut rest = html;
        while let Some(i) = rest.find('<') {
            out.push_str(&rest[..i]);
            rest = &rest[rest[i..].find('>').map_or(rest.len(), |j| i + j + 1)..];
        }
        out.push_str(rest);
        out.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&#39;", "'")
            .replace("&amp;", "&")
    }

    #[test]
    fn markup_escapes_every_character_and_keeps_the_text() {
        let text =
            "<script>alert('x')</script>: \"&amp;\"\nkey: \"<b>\" # a & b\n\n{\"k\": \"</span>\"}";
        for lang in [Lang::Json, Lang::Yaml, Lang::Plain] {
            let html = to_html(text, lang, Some(2));
            assert!(!html.contains("<script") && !html.contains("<b>"), "{html}");
            assert_eq!(
                html.matches("<span").count(),
                html.matches("</span>").count()
            );
            let want: String = text.lines().map(|l| format!("{l}\n")).collect();
            assert_eq!(text_of(&html), want, "{lang:?}");
            assert_eq!(
                html.matches("class=\"ln hl\" id=\"hl-line\" data-line=\"2\"")
                    .count(),
                1
            );
        }
    }

    #[test]
    fn the_lines_markup_joined_is_the_panes() {
        let text = "{\n  \"a\": \"<b>\",\n\n  \"n\": 1\n}";
        for lang in [Lang::Json, Lang::Yaml, Lang::Plain] {
            for hl in [None, Some(2)] {
                assert_eq!(
                    lines_html(text, lang, hl).concat(),
                    to_html(text, lang, hl),
                    "{lang:?}"
                );
            }
        }
        assert_eq!(lines_html("", Lang::Json, None), Vec::<String>::new());
    }

    #[test]
    fn lines_kept_from_the_last_text_are_the_lines_of_the_new_one() {
        let texts = [
            "{\n  \"a\": \"<b>\",\n  \"n\": 1\n}",
            "{\n  \"a\": \"<i>\",\n  \"n\": 1\n}",
            "{\n  \"n\": 1\n}",
            "",
            "{\n  \"a\": \"<b>\",\n  \"n\": 1,\n  \"m\": 2\n}",
        ];
        let mut last = Lines::default();
        for (lang, hl) in [
            (Lang::Json, None),
            (Lang::Json, Some(2)),
            (Lang::Yaml, Some(2)),
        ] {
            for text in texts {
                let next = last.next(text, lang, hl);
                let markup: Vec<String> = next.markup().map(|m| m.to_string()).collect();
                assert_eq!(
                    markup,
                    lines_html(text, lang, hl),
                    "{text:?} {lang:?} {hl:?}"
                );
                last = next;
            }
        }
    }

    #[test]
    fn tokens_always_rebuild_the_line() {
        let lines = [
            "",
            " ",
            "\"unterminated",
            "\"k\":\"v\\\\\"}",
            "é: ü \"ß\" ∞",
            "- - -",
            "-",
            "key:value: x",
            "  - \"quoted: key\": 1",
            "<script>alert(1)</script>",
            "\u{0}\t\u{7f}",
            "{\"a\":[{\"b\":-}]}",
        ];
        for l in lines {
            for lang in [Lang::Json, Lang::Yaml, Lang::Plain] {
                let rebuilt: String = line(l, lang).into_iter().map(|(_, t)| t).collect();
                assert_eq!(rebuilt, l, "{lang:?}");
            }
        }
    }
}
