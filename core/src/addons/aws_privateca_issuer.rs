//! AWS Private CA Issuer (cert-manager external issuer): the minimal policy
//! of its README, on the certificate authorities it issues from.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "aws-privateca-issuer",
    summary: "AWS Private CA Issuer for cert-manager",
    inputs: &[I::CertificateAuthorities],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "cert-manager/aws-privateca-issuer",
            file: "README.md (Configuration: a minimal policy)",
            release: "v1.x",
        },
        statements: &[Statement {
            actions: &[
                "acm-pca:DescribeCertificateAuthority",
                "acm-pca:GetCertificate",
                "acm-pca:IssueCertificate",
            ],
            resources: Input(Scoped {
                scope: &AUTHORITIES,
                service: None,
                suffix: "",
            }),
            ..Statement::STAR
        }],
        managed_policies: &[],
        stays_star: &[],
    }],
};

const AUTHORITIES: Scope = Scope {
    input: I::CertificateAuthorities,
    fallback: &["arn:{p}:acm-pca:{region}:{account}:certificate-authority/*"],
    without: "the issuer may issue certificates from every private CA of the account's region: list them in certificateAuthorityArns",
};
