//! AWS App Mesh controller for Kubernetes: `config/iam/controller-iam-policy.json`
//! (App Mesh reaches end of support on 30 September 2026).

use super::prelude::*;

/// The declaration.
pub const ADDON: Addon = Addon {
    name: "appmesh-controller",
    summary: "AWS App Mesh controller",
    inputs: &[],
    needs_cluster_name: false,
    releases: &[Release {
        since: None,
        upstream: Upstream {
            project: "aws/aws-app-mesh-controller-for-k8s",
            file: "config/iam/controller-iam-policy.json",
            release: "v1.13",
        },
        statements: &[
            Statement {
                actions: &[
                    "appmesh:ListVirtualRouters",
                    "appmesh:ListVirtualServices",
                    "appmesh:ListRoutes",
                    "appmesh:ListGatewayRoutes",
                    "appmesh:ListMeshes",
                    "appmesh:ListVirtualNodes",
                    "appmesh:ListVirtualGateways",
                    "appmesh:DescribeMesh",
                    "appmesh:DescribeVirtualRouter",
                    "appmesh:DescribeRoute",
                    "appmesh:DescribeVirtualNode",
                    "appmesh:DescribeVirtualGateway",
                    "appmesh:DescribeGatewayRoute",
                    "appmesh:DescribeVirtualService",
                    "appmesh:CreateMesh",
                    "appmesh:CreateVirtualRouter",
                    "appmesh:CreateVirtualGateway",
                    "appmesh:CreateVirtualService",
                    "appmesh:CreateGatewayRoute",
                    "appmesh:CreateRoute",
                    "appmesh:CreateVirtualNode",
                    "appmesh:UpdateMesh",
                    "appmesh:UpdateRoute",
                    "appmesh:UpdateVirtualGateway",
                    "appmesh:UpdateVirtualRouter",
                    "appmesh:UpdateGatewayRoute",
                    "appmesh:UpdateVirtualService",
                    "appmesh:UpdateVirtualNode",
                    "appmesh:DeleteMesh",
                    "appmesh:DeleteRoute",
                    "appmesh:DeleteVirtualRouter",
                    "appmesh:DeleteGatewayRoute",
                    "appmesh:DeleteVirtualService",
                    "appmesh:DeleteVirtualNode",
                    "appmesh:DeleteVirtualGateway",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &["iam:CreateServiceLinkedRole"],
                resources: Arns(&[
                    "arn:{p}:iam::*:role/aws-service-role/{sp:appmesh}/AWSServiceRoleForAppMesh",
                ]),
                conditions: &[cond("StringLike", "iam:AWSServiceName", &["{sp:appmesh}"])],
                when: When::Always,
            },
            Statement {
                actions: &[
                    "acm:ListCertificates",
                    "acm:DescribeCertificate",
                    "acm-pca:DescribeCertificateAuthority",
                    "acm-pca:ListCertificateAuthorities",
                ],
                ..Statement::STAR
            },
            Statement {
                actions: &[
                    "servicediscovery:CreateService",
                    "servicediscovery:DeleteService",
                    "servicediscovery:GetService",
                    "servicediscovery:GetInstance",
                    "servicediscovery:RegisterInstance",
                    "servicediscovery:DeregisterInstance",
                    "servicediscovery:ListInstances",
                    "servicediscovery:ListNamespaces",
                    "servicediscovery:ListServices",
                    "servicediscovery:GetInstancesHealthStatus",
                    "servicediscovery:UpdateInstanceCustomHealthStatus",
                    "servicediscovery:GetOperation",
                    "route53:GetHealthCheck",
                    "route53:CreateHealthCheck",
                    "route53:UpdateHealthCheck",
                    "route53:ChangeResourceRecordSets",
                    "route53:DeleteHealthCheck",
                ],
                ..Statement::STAR
            },
        ],
        managed_policies: &[],
        stays_star: &["the App Mesh controller creates meshes, Cloud Map services and Route 53 health checks from the cluster's resources, so its actions take `*`"],
    }],
};
