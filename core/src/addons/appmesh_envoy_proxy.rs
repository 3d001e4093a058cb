//! The Envoy proxies of App Mesh: `config/iam/envoy-iam-policy.json` of the
//! App Mesh controller, for the service accounts of meshed pods.

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "appmesh-envoy-proxy",
    summary: "AWS App Mesh Envoy proxy (meshed pods)",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "aws/aws-app-mesh-controller-for-k8s",
            file: "config/iam/envoy-iam-policy.json",
            release: "v1.13",
        },
        statements: &[
            Statement {
                actions: &["appmesh:StreamAggregatedResources"],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "acm:ExportCertificate",
                    "acm-pca:GetCertificateAuthorityCertificate",
                ],
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the Envoy proxy streams the configuration of any virtual node or gateway and exports the certificates it names, so its actions take `*`"],
    }],
};
