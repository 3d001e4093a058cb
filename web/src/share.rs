//! The form in the URL: its fields as `key=value` pairs (`ns`, `ns.2` for the
//! second binding, `s3~2` for a second bucket row...), deflated (miniz_oxide, pure Rust) and written as
//! base64url, so a shared link stays short and holds every binding.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::state::{decode, encode, Field, Form, MAX_BINDINGS, MAX_ROWS};

/// The most text a shared link expands to: a form is a few kilobytes, so
/// anything larger is not one of ours (a deflate bomb stops here).
const MAX_UNPACKED: usize = 256 * 1024;

/// Text -> deflate -> base64url (no padding).
pub fn pack(text: &str) -> String {
    URL_SAFE_NO_PAD.encode(miniz_oxide::deflate::compress_to_vec(text.as_bytes(), 9))
}

/// The reverse of [`pack`]; `None` for anything else.
pub fn unpack(packed: &str) -> Option<String> {
    unpack_within(packed, MAX_UNPACKED)
}

/// [`unpack`] with another limit on the text it expands to (check mode's files).
pub fn unpack_within(packed: &str, limit: usize) -> Option<String> {
    let bytes = URL_SAFE_NO_PAD.decode(packed.trim()).ok()?;
    let text = miniz_oxide::inflate::decompress_to_vec_with_limit(&bytes, limit).ok()?;
    String::from_utf8(text).ok()
}

/// The form as `key=value&...`: only what differs from the defaults, with
/// `n=` the number of bindings when there are several (a blank one counts).
pub fn form_pairs(form: &Form) -> String {
    let mut pairs: Vec<(String, &str)> = Vec::new();
    let count = form.binding_count();
    if count > 1 {
        pairs.push(("n".into(), ""));
    }
    for f in Field::ALL.iter().filter(|f| !f.in_binding()) {
        let v = form.get(*f);
        if v != f.default_value() {
            pairs.push((f.key().into(), v));
        }
    }
    for b in 0..count {
        for f in Field::ALL.iter().filter(|f| f.in_binding()) {
            // A row after the first always writes its item (blank too), so
            // the link keeps the number of rows.
            let first_column = f.group().and_then(|g| g.columns().first()) == Some(f);
            for r in 0..form.rows(b, f.group()) {
                let v = form.get_at(b, *f, r);
                if v != f.default_value() || (r > 0 && first_column) {
                    pairs.push((pair_key(f.key(), b, r), v));
                }
            }
        }
    }
    let count = count.to_string();
    pairs
        .iter()
        .map(|(k, v)| {
            let v = if k == "n" { count.as_str() } else { v };
            format!("{}={}", encode(k), encode(v))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// `s3` of binding 1 row 1, `s3~2` (row 2), `s3~2.3` (row 2 of binding 3).
fn pair_key(key: &str, binding: usize, row: usize) -> String {
    let mut out = key.to_string();
    if row > 0 {
        out.push_str(&format!("~{}", row + 1));
    }
    if binding > 0 {
        out.push_str(&format!(".{}", binding + 1));
    }
    out
}

/// Reads [`form_pairs`]' text into `form`.
pub fn read_pairs(form: &mut Form, text: &str) {
    for pair in text.split('&') {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        read_pair(form, &decode(k), &decode(v));
    }
}

/// One `key=value` of the form; unknown keys and bindings past
/// [`MAX_BINDINGS`] are ignored.
pub fn read_pair(form: &mut Form, key: &str, value: &str) {
    if key == "n" {
        if let Ok(n) = value.parse::<usize>() {
            form.grow_to(n);
        }
        return;
    }
    let (name, binding) = match key.split_once('.') {
        Some((name, n)) => match n.parse::<usize>() {
            Ok(n) if (2..=MAX_BINDINGS).contains(&n) => (name, n - 1),
            _ => return,
        },
        None => (key, 0),
    };
    let (name, row) = match name.split_once('~') {
        Some((name, r)) => match r.parse::<usize>() {
            Ok(r) if (2..=MAX_ROWS).contains(&r) => (name, r - 1),
            _ => return,
        },
        None => (name, 0),
    };
    let Some(field) = Field::ALL.iter().find(|f| f.key() == name) else {
        return;
    };
    if binding > 0 && !field.in_binding() {
        return;
    }
    form.grow_to(binding + 1);
    match field.group() {
        Some(group) => form.grow_rows(binding, group, row + 1),
        None if row > 0 => return,
        None => {}
    }
    form.set_at(binding, *field, row, value);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_text_unpacks_to_itself_and_junk_to_nothing() {
        let text = "account=123456789012&ns=production&sa=s3-writer&ns.2=batch";
        let packed = pack(text);
        assert!(packed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(unpack(&packed).as_deref(), Some(text));
        assert_eq!(unpack("not base64!"), None);
        assert_eq!(unpack("AAAA"), None);
        // A bomb: 1 MiB of zeros packs small but never unpacks past the limit.
        let bomb = pack(&"0".repeat(1 << 20));
        assert!(bomb.len() < 2_000, "{}", bomb.len());
        assert_eq!(unpack(&bomb), None);
    }

    #[test]
    fn every_binding_round_trips_blank_ones_too() {
        let mut form = Form::default();
        form.set(Field::AccountId, "123456789012");
        form.set(Field::Namespace, "a b&c=d");
        form.add_binding();
        form.add_binding();
        form.set_in(2, Field::S3Bucket, "uploads");
        form.set_in(2, Field::S3Access, "write");
        // Rows: a second bucket with its prefix, a blank third one.
        form.add_row(2, crate::state::Group::S3);
        form.add_row(2, crate::state::Group::S3);
        form.set_at(2, Field::S3Bucket, 1, "reports");
        form.set_at(2, Field::S3Prefix, 1, "2026/");
        let text = form_pairs(&form);
        assert_eq!(
            text,
            "n=3&account=123456789012&ns=a%20b%26c%3Dd&s3.3=uploads&s3~2.3=reports&s3~3.3=&s3Access.3=write&s3Prefix~2.3=2026%2F"
        );
        let mut back = Form::default();
        read_pairs(&mut back, &text);
        assert_eq!(back, form);
    }

    #[test]
    fn impossible_pairs_are_ignored() {
        let mut form = Form::default();
        read_pairs(
            &mut form,
            "account.2=1&ns.1=x&ns.999=x&ns.x=y&n=100000&zz=1&ns~2=x&s3~1=x&s3~51=x&s3~x=y",
        );
        assert_eq!(form.binding_count(), MAX_BINDINGS);
        assert_eq!(form.get(Field::AccountId), "");
        assert!((0..MAX_BINDINGS).all(|b| form.get_in(b, Field::Namespace).is_empty()));
        assert_eq!(form.rows(0, Field::S3Bucket.group()), 1);
    }
}
