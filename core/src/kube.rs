//! Kubernetes facts: object names and the EKS annotations.

/// Annotation on a ServiceAccount naming the IAM role.
pub const ROLE_ARN: &str = "eks.amazonaws.com/role-arn";
/// Annotation on a ServiceAccount overriding the token audience.
pub const AUDIENCE: &str = "eks.amazonaws.com/audience";
/// Annotation on a ServiceAccount turning regional STS endpoints on or off.
pub const STS_REGIONAL_ENDPOINTS: &str = "eks.amazonaws.com/sts-regional-endpoints";
/// Annotation on a ServiceAccount or Pod setting the token lifetime in seconds.
pub const TOKEN_EXPIRATION: &str = "eks.amazonaws.com/token-expiration";
/// Annotation on a Pod naming containers the webhook leaves alone.
pub const SKIP_CONTAINERS: &str = "eks.amazonaws.com/skip-containers";

/// The audience IRSA tokens carry unless overridden, in every partition.
pub const DEFAULT_AUDIENCE: &str = "sts.amazonaws.com";
/// The token lifetime EKS uses unless overridden.
pub const DEFAULT_TOKEN_EXPIRATION: u32 = 86_400;
/// EKS raises shorter token lifetimes to this.
pub const MIN_TOKEN_EXPIRATION: u32 = 600;

/// What is wrong with a DNS-1123 label (namespaces, container names), if anything.
pub fn label_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.len() > 63 {
        return Some(format!("is {} characters long; the limit is 63", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-'))
    {
        return Some(format!(
            "contains `{c}`; only lower-case letters, digits and `-` are allowed"
        ));
    }
    if s.starts_with('-') || s.ends_with('-') {
        return Some("must start and end with a letter or digit".into());
    }
    None
}

/// What is wrong with a DNS-1123 subdomain (ServiceAccount and most object names), if anything.
pub fn subdomain_problem(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("must not be empty".into());
    }
    if s.len() > 253 {
        return Some(format!("is {} characters long; the limit is 253", s.len()));
    }
    if let Some(c) = s
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '-' || *c == '.'))
    {
        return Some(format!(
            "contains `{c}`; only lower-case letters, digits, `-` and `.` are allowed"
        ));
    }
    if s.split('.')
        .any(|l| l.is_empty() || l.starts_with('-') || l.ends_with('-'))
    {
        return Some("each dot-separated part must start and end with a letter or digit".into());
    }
    None
}

/// The `sub` claim of a ServiceAccount token.
pub fn subject(namespace: &str, name: &str) -> String {
    format!("system:serviceaccount:{namespace}:{name}")
}

/// Splits a `sub` value into namespace and name, if it has the ServiceAccount form.
pub fn parse_subject(sub: &str) -> Option<(&str, &str)> {
    let rest = sub.strip_prefix("system:serviceaccount:")?;
    let (ns, name) = rest.split_once(':')?;
    (!name.contains(':')).then_some((ns, name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(label_problem("production").is_none());
        assert!(label_problem("Prod").is_some());
        assert!(label_problem(&"a".repeat(64)).is_some());
        assert!(subdomain_problem("s3_writer").is_some());
        assert!(subdomain_problem("s3.writer").is_none());
        assert_eq!(
            parse_subject("system:serviceaccount:ns:sa"),
            Some(("ns", "sa"))
        );
    }
}
