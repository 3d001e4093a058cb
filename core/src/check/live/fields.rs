//! What every command's output shares: a field's text, and whether a
//! paginated list says more pages exist.

use crate::source::Node;

/// The text of `node[key]`.
pub(super) fn text<'n>(node: &'n Node, key: &str) -> Option<&'n str> {
    node.get(key).and_then(Node::as_text)
}

/// True when a paginated output says more pages exist (the API's
/// `IsTruncated`/`Marker`, the CLI's `NextToken`, EKS's `nextToken`).
pub(super) fn truncated(root: &Node) -> bool {
    text(root, "IsTruncated") == Some("true")
        || ["Marker", "NextToken", "nextToken"]
            .iter()
            .any(|k| root.get(k).is_some_and(|v| !v.is_null()))
}
