//! The lab's issuers and the clusters' they stand for. A cluster's issuer
//! `https://HOST/PATH` is served by the lab as `BASE/HOST/PATH` (the lab's own
//! URL, so that its discovery document and keys are really there); STS and
//! the evaluator see the cluster's issuer. One more issuer, `BASE/other-issuer`,
//! has keys but no IAM OIDC provider: the "token of another issuer".

/// The path of the issuer that no provider trusts.
pub const OTHER_ISSUER: &str = "other-issuer";

/// Maps lab issuer URLs to cluster issuers (host and path, as IAM names them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuerMap {
    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub base: String,
    /// The clusters' issuers (host and path).
    pub clusters: Vec<String>,
}

impl IssuerMap {
    /// A map for a base URL and the clusters' issuers.
    pub fn new(base: &str, clusters: Vec<String>) -> IssuerMap {
        IssuerMap {
            base: base.trim_end_matches('/').to_string(),
            clusters,
        }
    }

    /// The lab's issuer URL standing for a cluster issuer.
    pub fn lab_issuer(&self, cluster: &str) -> String {
        format!("{}/{cluster}", self.base)
    }

    /// The lab's issuer that stands for no cluster.
    pub fn other_issuer(&self) -> String {
        format!("{}/{OTHER_ISSUER}", self.base)
    }

    /// The cluster issuer a token's `iss` stands for, if it is one of the lab's.
    pub fn cluster_of(&self, iss: &str) -> Option<&str> {
        let path = iss.strip_prefix(&self.base)?.strip_prefix('/')?;
        let path = path.trim_end_matches('/');
        self.clusters
            .iter()
            .find(|c| c.eq_ignore_ascii_case(path))
            .map(String::as_str)
    }

    /// Every issuer the lab serves, by path under the base: the clusters' and the other one.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.clusters
            .iter()
            .map(String::as_str)
            .chain(std::iter::once(OTHER_ISSUER))
    }

    /// The lines `lab serve` prints: which lab issuer stands for which cluster's.
    pub fn describe(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .clusters
            .iter()
            .map(|c| format!("issuer {} stands for https://{c}", self.lab_issuer(c)))
            .collect();
        lines.push(format!(
            "issuer {} stands for no cluster (no IAM OIDC provider trusts it)",
            self.other_issuer()
        ));
        lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_both_ways() {
        let m = IssuerMap::new(
            "http://127.0.0.1:9/",
            vec!["oidc.eks.x.amazonaws.com/id/AB".into()],
        );
        let lab = m.lab_issuer("oidc.eks.x.amazonaws.com/id/AB");
        assert_eq!(lab, "http://127.0.0.1:9/oidc.eks.x.amazonaws.com/id/AB");
        assert_eq!(m.cluster_of(&lab), Some("oidc.eks.x.amazonaws.com/id/AB"));
        assert_eq!(m.cluster_of(&m.other_issuer()), None);
        assert_eq!(m.cluster_of("https://oidc.eks.x.amazonaws.com/id/AB"), None);
        assert_eq!(m.paths().count(), 2);
    }
}
