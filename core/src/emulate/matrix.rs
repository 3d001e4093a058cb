//! The negative matrix `lab test` runs: for every ServiceAccount the setup
//! binds, its own token must be admitted, and the tokens of a neighbour
//! ServiceAccount, of another namespace, with another audience, expired, and
//! of another issuer must be refused with the error AWS gives for each.

use super::account::{example_name, Account, Bound, Mode};
use super::issuers::IssuerMap;
use crate::kube;

/// One row of the matrix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// The bound ServiceAccount's own token.
    Own,
    /// Another ServiceAccount in the same namespace (`default`, which pods without `serviceAccountName` run as).
    Neighbour,
    /// The same ServiceAccount name in another namespace.
    OtherNamespace,
    /// The right ServiceAccount, a token for another audience.
    OtherAudience,
    /// The right token, expired.
    Expired,
    /// The right claims from an issuer with no IAM OIDC provider.
    OtherIssuer,
}

/// Every case, in the order of the table.
pub const CASES: [Case; 6] = [
    Case::Own,
    Case::Neighbour,
    Case::OtherNamespace,
    Case::OtherAudience,
    Case::Expired,
    Case::OtherIssuer,
];

impl Case {
    /// The row's label.
    pub fn label(self) -> &'static str {
        match self {
            Case::Own => "own token",
            Case::Neighbour => "neighbour ServiceAccount",
            Case::OtherNamespace => "other namespace",
            Case::OtherAudience => "other audience",
            Case::Expired => "expired token",
            Case::OtherIssuer => "other issuer",
        }
    }
}

/// The audience of the "other audience" token.
pub const OTHER_AUDIENCE: &str = "irsa-lab.invalid";

/// What a probe must get.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// Credentials for an assumed-role ARN starting with this.
    Admitted(String),
    /// An error with this code whose message starts with this.
    Refused(&'static str, String),
}

/// One token to mint and send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// The row.
    pub case: Case,
    /// The binding it probes.
    pub bound: Bound,
    /// The token's namespace.
    pub namespace: String,
    /// The token's ServiceAccount.
    pub service_account: String,
    /// The token's audience.
    pub audience: String,
    /// The token's issuer URL (a lab issuer).
    pub issuer: String,
    /// True for a token that expired before it is sent.
    pub expired: bool,
    /// What it must get.
    pub expect: Expect,
}

fn other_than(name: &str, usual: &str, fallback: &str) -> String {
    if crate::trust::wildcard_match(name, usual) {
        fallback
    } else {
        usual
    }
    .to_string()
}

fn expectation(case: Case, bound: &Bound, account: &Account, issuers: &IssuerMap) -> Expect {
    let role = account.role(&bound.role_arn);
    let prefix = role.map_or_else(String::new, |r| super::account::assumed_role_arn(r, ""));
    let pod = bound.mode == Mode::PodIdentity;
    let refused = |code: &'static str, message: String| Expect::Refused(code, message);
    match (case, pod) {
        (Case::Own, _) => Expect::Admitted(prefix),
        (Case::Neighbour | Case::OtherNamespace, false) => refused(
            "AccessDenied",
            "Not authorized to perform sts:AssumeRoleWithWebIdentity".into(),
        ),
        (Case::Neighbour | Case::OtherNamespace, true) => refused(
            "ResourceNotFoundException",
            "No Pod Identity Association found".into(),
        ),
        (Case::OtherAudience, false) => refused("InvalidIdentityToken", "Incorrect token audience".into()),
        (Case::Expired, false) => refused("ExpiredTokenException", "Token expired: current date/time ".into()),
        (Case::Expired, true) => refused(
            "",
            "Service account token failed basic claim validations: token has invalid claims: token is expired".into(),
        ),
        (Case::OtherIssuer, false) => refused(
            "InvalidIdentityToken",
            format!("No OpenIDConnect provider found in your account for {}", issuers.other_issuer()),
        ),
        (Case::OtherAudience | Case::OtherIssuer, true) => refused("InvalidTokenException", String::new()),
    }
}

/// The matrix for every bound ServiceAccount, six probes each.
pub fn probes(account: &Account, issuers: &IssuerMap) -> Vec<Probe> {
    let mut out = Vec::new();
    for bound in &account.bound {
        let namespace = example_name(&bound.namespace);
        let service_account = example_name(&bound.service_account);
        let own_issuer = issuers.lab_issuer(&bound.issuer);
        for case in CASES {
            let mut p = Probe {
                case,
                bound: bound.clone(),
                namespace: namespace.clone(),
                service_account: service_account.clone(),
                audience: bound.audience.clone(),
                issuer: own_issuer.clone(),
                expired: false,
                expect: expectation(case, bound, account, issuers),
            };
            match case {
                Case::Own => {}
                Case::Neighbour => {
                    p.service_account =
                        other_than(&bound.service_account, "default", "irsa-lab-neighbour")
                }
                Case::OtherNamespace => {
                    p.namespace = other_than(&bound.namespace, "default", "irsa-lab-other")
                }
                Case::OtherAudience => {
                    p.audience = if bound.mode == Mode::PodIdentity {
                        kube::DEFAULT_AUDIENCE.to_string()
                    } else {
                        OTHER_AUDIENCE.to_string()
                    }
                }
                Case::Expired => p.expired = true,
                Case::OtherIssuer => p.issuer = issuers.other_issuer(),
            }
            out.push(p);
        }
    }
    out
}

/// What a probe got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Credentials, whose caller identity is this ARN.
    Admitted(String),
    /// An error: its code (empty for the Pod Identity Agent's own checks) and message.
    Refused(String, String),
}

/// True when the outcome is what the probe must get.
pub fn passes(expect: &Expect, got: &Outcome) -> bool {
    match (expect, got) {
        (Expect::Admitted(prefix), Outcome::Admitted(arn)) => arn.starts_with(prefix.as_str()),
        (Expect::Refused(code, message), Outcome::Refused(c, m)) => {
            c == code && m.starts_with(message.as_str())
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn six_probes_per_service_account_and_names_that_differ() {
        let spec = crate::load_spec(
            "accountId: '111122223333'\nregion: cn-north-1\ncluster: https://oidc.eks.cn-north-1.amazonaws.com.cn/id/0123456789ABCDEF0123456789ABCDEF\nbindings:\n  - namespace: default\n    serviceAccount: 'job-*'\n    roleName: batch\n",
            None,
        );
        let account = Account::from_spec(spec.spec.as_ref().unwrap()).unwrap();
        let issuers = IssuerMap::new("http://127.0.0.1:1", account.issuers.clone());
        let p = probes(&account, &issuers);
        assert_eq!(p.len(), 6);
        assert_eq!(p[0].service_account, "job-lab");
        assert_eq!(p[1].service_account, "default");
        assert_eq!(p[2].namespace, "irsa-lab-other");
        assert_eq!(
            p[0].expect,
            Expect::Admitted("arn:aws-cn:sts::111122223333:assumed-role/batch/".into())
        );
        assert!(passes(
            &p[1].expect,
            &Outcome::Refused(
                "AccessDenied".into(),
                "Not authorized to perform sts:AssumeRoleWithWebIdentity".into()
            )
        ));
        assert!(!passes(
            &p[1].expect,
            &Outcome::Admitted("arn:aws-cn:sts::111122223333:assumed-role/batch/x".into())
        ));
    }
}
