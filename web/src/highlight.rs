//! Light syntax colouring for the output panels.
//!
//! A line is split into classified slices of itself, one per run of a
//! class; [`to_html`] writes each slice, escaped, inside a `<span
//! class=...>`, so no user text is ever interpreted as HTML. Concatenating
//! the slices gives the line back exactly. The generated panes are not
//! markup but DOM written from [`Lines`]: a keystroke sets the text of the
//! tokens it changed ([`Lines::edits`]), so the browser parses no HTML and
//! lays out only those text nodes again, which keeps a keystroke within one
//! frame with every panel open. Check mode's editor layer is markup
//! ([`to_html`], one string per pane).

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

/// A pane's lines as the page shows them, kept from one text to the next:
/// [`Lines::edits`] says what a new text changes in them, so a keystroke
/// touches only the text of the tokens it changed (the page's `app::Code`
/// applies the edits to its DOM, with no HTML to parse).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines {
    /// The language and marked line the lines are shown for.
    written_for: Option<(Lang, Option<u32>)>,
    /// Each line's text (an unchanged line keeps the last text's `Rc`).
    lines: Vec<Rc<str>>,
}

/// One change to a pane's lines, in order: applied to the lines of the last
/// text (each line a `<span class="ln">` whose children are its tokens, a
/// text node for [`Class::Plain`], a `<span class="t-...">` around one
/// otherwise, then a text node `"\n"`), they give the new text's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Token `token` of line `line` (0-based) now reads `text`; its class
    /// is unchanged.
    Token {
        /// The line.
        line: usize,
        /// The token's place in the line.
        token: usize,
        /// The token's new text.
        text: Rc<str>,
    },
    /// Line `line` is written anew ([`Lines::parts`]), replacing the one
    /// there or, past the last one, added at the end.
    Line(usize),
    /// The lines from this one on are removed.
    Truncate(usize),
}

/// What the page writes for one line: the line span's `class` and `id`, its
/// `data-line`, and its tokens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineParts<'a> {
    /// `ln`, or `ln hl` on the marked line.
    pub class: &'static str,
    /// `hl-line` on the marked line.
    pub id: Option<&'static str>,
    /// The line's number, from 1.
    pub number: usize,
    /// The tokens, one per run of a class.
    pub tokens: Vec<(Class, &'a str)>,
}

impl Lines {
    /// `text`'s lines for `lang` and the marked line `highlight` (each line
    /// that is as it was here keeps its `Rc`).
    pub fn next(&self, text: &str, lang: Lang, highlight: Option<u32>) -> Lines {
        let lines = text
            .lines()
            .enumerate()
            .map(|(i, l)| match self.lines.get(i) {
                Some(was) if **was == *l => Rc::clone(was),
                _ => Rc::from(l),
            })
            .collect();
        Lines {
            written_for: Some((lang, highlight)),
            lines,
        }
    }

    /// The number of lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// No line at all (an empty text).
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// What line `i` shows (`None` past the last line).
    pub fn parts(&self, i: usize) -> Option<LineParts<'_>> {
        let (lang, highlight) = self.written_for?;
        Some(LineParts::of(self.lines.get(i)?, i + 1, lang, highlight))
    }

    /// The edits that turn these lines (as shown) into `next`'s: nothing
    /// for a line that is as it was, the text of the tokens that changed
    /// when a line keeps its classes (a value typed into), the line anew
    /// otherwise (and every line for another language).
    pub fn edits(&self, next: &Lines) -> Vec<Edit> {
        let same_lang = self.written_for.map(|w| w.0) == next.written_for.map(|w| w.0);
        let mut edits = Vec::new();
        for i in 0..next.len() {
            let (Some(was), Some(now)) = (self.parts(i), next.parts(i)) else {
                edits.push(Edit::Line(i));
                continue;
            };
            let kept = same_lang && was.class == now.class;
            if kept && self.lines.get(i) == next.lines.get(i) {
                continue;
            }
            let same_classes = was.tokens.len() == now.tokens.len()
                && was.tokens.iter().zip(&now.tokens).all(|(a, b)| a.0 == b.0);
            if !(kept && same_classes) {
                edits.push(Edit::Line(i));
                continue;
            }
            for (token, (a, b)) in was.tokens.iter().zip(&now.tokens).enumerate() {
                if a.1 != b.1 {
                    edits.push(Edit::Token {
                        line: i,
                        token,
                        text: Rc::from(b.1),
                    });
                }
            }
        }
        if next.len() < self.len() {
            edits.push(Edit::Truncate(next.len()));
        }
        edits
    }
}

/// Appends line `n` (`text`) as its `<span class="ln">`.
fn line_html(out: &mut String, text: &str, n: usize, lang: Lang, highlight: Option<u32>) {
    LineParts::of(text, n, lang, highlight).write_html(out);
}

impl<'a> LineParts<'a> {
    /// Line `n` (`text`), marked when it is `highlight`.
    fn of(text: &'a str, n: usize, lang: Lang, highlight: Option<u32>) -> LineParts<'a> {
        let marked = u32::try_from(n).ok() == highlight;
        LineParts {
            class: if marked { "ln hl" } else { "ln" },
            id: marked.then_some("hl-line"),
            number: n,
            tokens: line(text, lang),
        }
    }

    /// Appends the line as markup: what the page's DOM of the line is.
    fn write_html(&self, out: &mut String) {
        out.push_str("<span class=\"");
        out.push_str(self.class);
        out.push('"');
        if let Some(id) = self.id {
            out.push_str(" id=\"");
            out.push_str(id);
            out.push('"');
        }
        let _ = write!(out, " data-line=\"{}\">", self.number);
        for (class, tok) in &self.tokens {
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
        Lang::Plain if text.is_empty() => Vec::new(),
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
        push(text, &mut out, class, tok);
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

/// Appends `tok` (the slice of `text` that follows the tokens so far) as a
/// token of `class`, joined to the last token when it has the same class:
/// one span per run of a class (`],` is one punctuation span), so a pane's
/// DOM holds as few nodes as its colours need.
fn push<'a>(text: &'a str, out: &mut Vec<(Class, &'a str)>, class: Class, tok: &'a str) {
    if tok.is_empty() {
        return;
    }
    if let Some((last_class, last)) = out.last_mut() {
        if *last_class == class {
            let start = last.as_ptr() as usize - text.as_ptr() as usize;
            let end = tok.as_ptr() as usize - text.as_ptr() as usize + tok.len();
            if let Some(run) = text.get(start..end) {
                *last = run;
                return;
            }
        }
    }
    out.push((class, tok));
}

fn yaml_line(text: &str) -> Vec<(Class, &str)> {
    let mut out = Vec::new();
    let indent = run(text, |c| c == ' ');
    let (lead, mut rest) = text.split_at(indent);
    push(text, &mut out, Class::Plain, lead);
    if rest.starts_with('#') {
        push(text, &mut out, Class::Comment, rest);
        return out;
    }
    if rest == "---" || rest == "..." {
        push(text, &mut out, Class::Punct, rest);
        return out;
    }
    // Sequence markers: "- - key: value"
    while rest.starts_with("- ") || rest == "-" {
        let (dash, tail) = rest.split_at(1);
        push(text, &mut out, Class::Punct, dash);
        let spaces = run(tail, |c| c == ' ');
        let (ws, tail) = tail.split_at(spaces);
        push(text, &mut out, Class::Plain, ws);
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
        push(text, &mut out, Class::Key, key);
        let (colon, tail) = tail.split_at(1);
        push(text, &mut out, Class::Punct, colon);
        let spaces = run(tail, |c| c == ' ');
        let (ws, tail) = tail.split_at(spaces);
        push(text, &mut out, Class::Plain, ws);
        rest = tail;
    }
    push(text, &mut out, yaml_scalar(rest), rest);
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

    /// A pane's DOM as the page's `app::Code` builds it: per line, its
    /// span's class, id and number, and its tokens.
    type Dom = Vec<(String, Option<String>, usize, Vec<(Class, String)>)>;

    fn built(parts: &LineParts<'_>) -> (String, Option<String>, usize, Vec<(Class, String)>) {
        let tokens = parts.tokens.iter().map(|(c, t)| (*c, t.to_string()));
        (
            parts.class.to_string(),
            parts.id.map(str::to_string),
            parts.number,
            tokens.collect(),
        )
    }

    /// `edits` applied to `dom` as `app::Code` applies them.
    fn apply(dom: &mut Dom, next: &Lines, edits: &[Edit]) {
        for e in edits {
            match e {
                Edit::Token { line, token, text } => {
                    dom[*line].3[*token].1 = text.to_string();
                }
                Edit::Line(i) => {
                    let line = built(&next.parts(*i).unwrap());
                    if *i < dom.len() {
                        dom[*i] = line;
                    } else {
                        assert_eq!(*i, dom.len(), "lines are added at the end");
                        dom.push(line);
                    }
                }
                Edit::Truncate(n) => dom.truncate(*n),
            }
        }
    }

    #[test]
    fn the_edits_turn_the_last_texts_lines_into_the_new_ones() {
        let texts = [
            "{\n  \"a\": \"<b>\",\n  \"n\": 1\n}",
            "{\n  \"a\": \"<i>\",\n  \"n\": 1\n}",
            "{\n  \"a\": \"<i>\",\n  \"n\": 12\n}",
            "{\n  \"n\": 1\n}",
            "",
            "{\n  \"a\": \"<b>\",\n  \"n\": 1,\n  \"m\": [2]\n}",
            "role: arn:aws:iam::1:role/P\nx: 1",
            "role: arn:aws:iam::1:role/Pa\nx: 1",
        ];
        let mut last = Lines::default();
        let mut dom = Dom::new();
        for (lang, hl) in [
            (Lang::Json, None),
            (Lang::Json, Some(2)),
            (Lang::Json, Some(3)),
            (Lang::Yaml, Some(3)),
            (Lang::Plain, None),
        ] {
            for text in texts {
                let next = last.next(text, lang, hl);
                let edits = last.edits(&next);
                apply(&mut dom, &next, &edits);
                let want: Dom = (0..next.len())
                    .map(|i| built(&next.parts(i).unwrap()))
                    .collect();
                assert_eq!(dom, want, "{text:?} {lang:?} {hl:?}");
                // The DOM is the markup's: each line's parts written as HTML.
                let markup: String = (0..next.len())
                    .map(|i| {
                        let mut out = String::new();
                        next.parts(i).unwrap().write_html(&mut out);
                        out
                    })
                    .collect();
                assert_eq!(markup, to_html(text, lang, hl));
                last = next;
            }
        }
    }

    #[test]
    fn a_value_typed_into_edits_only_its_token() {
        let was = Lines::default().next(
            "metadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::1:role/P\n",
            Lang::Yaml,
            None,
        );
        let now = was.next(
            "metadata:\n  annotations:\n    eks.amazonaws.com/role-arn: arn:aws:iam::1:role/Pa\n",
            Lang::Yaml,
            None,
        );
        assert_eq!(
            was.edits(&now),
            vec![Edit::Token {
                line: 2,
                token: 4,
                text: Rc::from("arn:aws:iam::1:role/Pa"),
            }]
        );
        // The same text again: nothing to do; another marked line: those two lines.
        assert_eq!(now.edits(&now.clone()), vec![]);
        let marked = now.next(&now.lines.join("\n"), Lang::Yaml, Some(1));
        assert_eq!(now.edits(&marked), vec![Edit::Line(0)]);
        let moved = marked.next(&now.lines.join("\n"), Lang::Yaml, Some(2));
        assert_eq!(marked.edits(&moved), vec![Edit::Line(0), Edit::Line(1)]);
    }

    #[test]
    fn one_token_per_run_of_a_class() {
        assert_eq!(
            line("    }],", Lang::Json),
            vec![(Class::Plain, "    "), (Class::Punct, "}],")]
        );
        assert_eq!(line("", Lang::Plain), vec![]);
        assert_eq!(line("abc", Lang::Plain), vec![(Class::Plain, "abc")]);
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
