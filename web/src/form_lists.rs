//! The form's list fields: several resources of one permission kind as one
//! comma-separated text (`uploads, reports`), tags as `Key=Value, ...`, and
//! the known regions with their partitions for the region's suggestions.
//!
//! A comma never appears in what these fields hold (S3 bucket, secret,
//! table and queue names, ARNs, IAM tag keys and values: IAM's tag pattern
//! has no comma), so it can separate them.

use irsa_core::aws::{Partition, KNOWN_REGIONS};
use irsa_core::spec::Tags;

/// The items of a comma-separated field, trimmed, blanks dropped.
pub fn items(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The items joined as the field shows them.
pub fn join<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    items.into_iter().collect::<Vec<_>>().join(", ")
}

/// A finding's path inside a binding as the form's fields own it: every
/// element of a permission list is the one field's (`permissions.s3[2].bucket`
/// is the buckets field's), every tag the tags field's.
pub fn field_path(rest: &str) -> std::borrow::Cow<'_, str> {
    if rest.starts_with("tags") {
        return "tags".into();
    }
    let Some(list) = rest.strip_prefix("permissions.") else {
        return rest.into();
    };
    match (list.find('['), list.find(']')) {
        (Some(open), Some(close)) if open < close => {
            let (name, after) = (
                list.get(..open).unwrap_or(""),
                list.get(close + 1..).unwrap_or(""),
            );
            format!("permissions.{name}[0]{after}").into()
        }
        _ => rest.into(),
    }
}

/// Tags from `Key=Value, Key2=Value2` (a key without `=` has an empty
/// value, as IAM allows); the spec's validation judges keys and values.
pub fn tags(text: &str) -> Tags {
    items(text)
        .into_iter()
        .map(|item| match item.split_once('=') {
            Some((k, v)) => (k.trim().to_string(), v.trim().to_string()),
            None => (item, String::new()),
        })
        .collect()
}

/// Tags as the field shows them; `None` when one cannot be written back
/// (a comma in it, or `=` in a key), so the form leaves them out, said.
pub fn tags_text(tags: &Tags) -> Option<String> {
    let fits = |s: &str| !s.contains(',') && s.trim() == s;
    tags.iter()
        .all(|(k, v)| fits(k) && fits(v) && !k.contains('=') && !k.is_empty())
        .then(|| {
            let pairs: Vec<String> = tags.iter().map(|(k, v)| format!("{k}={v}")).collect();
            pairs.join(", ")
        })
}

/// The regions core knows, each with the words shown beside it: its
/// partition (`aws-cn`: China, `aws-us-gov`: GovCloud).
pub fn known_regions() -> impl Iterator<Item = (&'static str, String)> {
    KNOWN_REGIONS.iter().map(|r| {
        let p = Partition::of_region(r);
        let words = match p.as_str() {
            "aws" => "partition aws".to_string(),
            "aws-cn" => "partition aws-cn (China)".to_string(),
            "aws-us-gov" => "partition aws-us-gov (GovCloud)".to_string(),
            other => format!("partition {other}"),
        };
        (*r, words)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comma_lists_split_and_join() {
        assert_eq!(items(" a, b ,,c "), ["a", "b", "c"]);
        assert!(items(" , ").is_empty());
        assert_eq!(join(["a", "b"]), "a, b");
    }

    #[test]
    fn every_element_of_a_list_is_its_fields() {
        assert_eq!(
            field_path("permissions.s3[2].bucket"),
            "permissions.s3[0].bucket"
        );
        assert_eq!(
            field_path("permissions.managedPolicyArns[1]"),
            "permissions.managedPolicyArns[0]"
        );
        assert_eq!(
            field_path("permissions.managedPolicyArns"),
            "permissions.managedPolicyArns"
        );
        assert_eq!(field_path("tags.team"), "tags");
        assert_eq!(field_path("namespace"), "namespace");
    }

    #[test]
    fn tags_read_and_write_back() {
        let t = tags("team=payments, cost-center = 42, flag");
        let pairs: Vec<(&str, &str)> = t.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            pairs,
            [("team", "payments"), ("cost-center", "42"), ("flag", "")]
        );
        assert_eq!(
            tags_text(&t).as_deref(),
            Some("team=payments, cost-center=42, flag=")
        );
        let mut odd = Tags::new();
        odd.insert("a,b".into(), "c".into());
        assert_eq!(tags_text(&odd), None);
    }

    #[test]
    fn every_known_region_has_its_partition() {
        let all: Vec<_> = known_regions().collect();
        assert_eq!(all.len(), KNOWN_REGIONS.len());
        assert!(all
            .iter()
            .any(|(r, w)| *r == "cn-north-1" && w.contains("aws-cn")));
        assert!(all
            .iter()
            .any(|(r, w)| *r == "us-gov-west-1" && w.contains("aws-us-gov")));
        assert!(all
            .iter()
            .any(|(r, w)| *r == "us-east-1" && w == "partition aws"));
    }
}
