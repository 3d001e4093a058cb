//! A spec (an opened or pasted spec file, read by core) into the form. The
//! form holds the resources of one permission kind as one comma-separated
//! field with one access level, the boundary and the tags, and no raw
//! statements yet: what it has no field for is listed by path, never
//! dropped without a word.

use irsa_core::spec::{BindingSpec, Permissions, QueueAccess, S3Access, TableAccess};
use irsa_core::{IdentityType, Spec};

use crate::form_lists::{join, tags_text};
use crate::state::{Field, Form, MAX_BINDINGS};

/// Fills a form and lists the values it had no place for.
struct Filler {
    form: Form,
    left_out: Vec<String>,
}

impl Filler {
    /// Sets `field` of binding `b`; a value the field does not take (a select's
    /// unknown choice) is listed at `path`.
    fn set(&mut self, b: usize, field: Field, value: Option<&str>, path: &str) {
        let Some(value) = value else { return };
        self.form.set_in(b, field, value);
        if self.form.get_in(b, field) != value {
            self.left_out.push(path.to_string());
        }
    }

    fn leave(&mut self, present: bool, path: String) {
        if present {
            self.left_out.push(path);
        }
    }

    /// Every element after the first of a list the form holds one of.
    fn rest<T>(&mut self, list: &[T], path: &str) {
        for i in 1..list.len() {
            self.left_out.push(format!("{path}[{i}]"));
        }
    }
}

/// The form for `spec`, and the paths of what it left out.
pub fn form_of(spec: &Spec) -> (Form, Vec<String>) {
    let mut f = Filler {
        form: Form::default(),
        left_out: Vec::new(),
    };
    f.set(0, Field::AccountId, spec.account_id.as_deref(), "accountId");
    f.set(0, Field::Region, spec.region.as_deref(), "region");
    f.set(0, Field::Cluster, spec.cluster.as_deref(), "cluster");
    f.set(
        0,
        Field::ClusterName,
        spec.cluster_name.as_deref(),
        "clusterName",
    );
    let identity = spec.identity_type.map(|t| match t {
        IdentityType::Irsa => "irsa",
        IdentityType::PodIdentity => "pod-identity",
        IdentityType::Both => "both",
    });
    f.set(0, Field::IdentityType, identity, "identityType");
    f.set(
        0,
        Field::TokenExpiration,
        spec.token_expiration.as_deref(),
        "tokenExpiration",
    );
    f.set(
        0,
        Field::RegionalSts,
        spec.sts_regional_endpoints.as_deref(),
        "stsRegionalEndpoints",
    );
    for i in 0..spec.additional_clusters.len() {
        f.left_out.push(format!("additionalClusters[{i}]"));
    }
    f.leave(spec.audience.is_some(), "audience".into());
    f.leave(
        spec.max_trust_policy_length.is_some(),
        "maxTrustPolicyLength".into(),
    );
    f.form.grow_to(spec.bindings.len());
    for (b, binding) in spec.bindings.iter().enumerate() {
        if b >= MAX_BINDINGS {
            f.left_out.push(format!("bindings[{b}]"));
            continue;
        }
        fill_binding(&mut f, b, binding);
    }
    (f.form, f.left_out)
}

fn fill_binding(f: &mut Filler, b: usize, binding: &BindingSpec) {
    let at = |p: &str| format!("bindings[{b}].{p}");
    f.set(
        b,
        Field::Namespace,
        binding.namespace.as_deref(),
        &at("namespace"),
    );
    let first = binding.service_account.first().map(String::as_str);
    f.set(b, Field::ServiceAccount, first, &at("serviceAccount"));
    f.rest(&binding.service_account, &at("serviceAccount"));
    f.set(
        b,
        Field::RoleName,
        binding.role_name.as_deref(),
        &at("roleName"),
    );
    f.leave(binding.role_path.is_some(), at("rolePath"));
    f.leave(binding.description.is_some(), at("description"));
    f.set(
        b,
        Field::Boundary,
        binding.permissions_boundary.as_deref(),
        &at("permissionsBoundary"),
    );
    match tags_text(&binding.tags) {
        Some(text) => f.set(b, Field::Tags, Some(&text), &at("tags")),
        None => f.left_out.push(at("tags")),
    }
    fill_permissions(f, b, &binding.permissions);
    if let Some(w) = &binding.workload {
        f.set(
            b,
            Field::WorkloadName,
            w.name.as_deref(),
            &at("workload.name"),
        );
        f.set(
            b,
            Field::WorkloadImage,
            w.image.as_deref(),
            &at("workload.image"),
        );
        f.leave(w.container.is_some(), at("workload.container"));
        f.leave(w.replicas.is_some(), at("workload.replicas"));
    }
}

fn fill_permissions(f: &mut Filler, b: usize, p: &Permissions) {
    let at = |p: &str| format!("bindings[{b}].permissions.{p}");
    if let Some(s3) = p.s3.first() {
        // Several buckets share the field when they share its access.
        let together =
            p.s3.iter()
                .all(|g| g.access == s3.access && g.prefix.is_none());
        let buckets = if together {
            join(p.s3.iter().map(|g| g.bucket.as_str()))
        } else {
            s3.bucket.clone()
        };
        f.set(b, Field::S3Bucket, Some(&buckets), &at("s3[0].bucket"));
        let access = match s3.access {
            S3Access::Read => "read",
            S3Access::Write => "write",
            S3Access::ReadWrite => "read-write",
        };
        f.set(b, Field::S3Access, Some(access), &at("s3[0].access"));
        f.leave(s3.prefix.is_some(), at("s3[0].prefix"));
        if !together {
            f.rest(&p.s3, &at("s3"));
        }
    }
    if !p.secrets_manager.is_empty() {
        let secrets = join(p.secrets_manager.iter().map(|g| g.secret.as_str()));
        f.set(
            b,
            Field::Secret,
            Some(&secrets),
            &at("secretsManager[0].secret"),
        );
    }
    if let Some(table) = p.dynamodb.first() {
        let together = p.dynamodb.iter().all(|g| g.access == table.access);
        let tables = if together {
            join(p.dynamodb.iter().map(|g| g.table.as_str()))
        } else {
            table.table.clone()
        };
        f.set(
            b,
            Field::DynamoTable,
            Some(&tables),
            &at("dynamodb[0].table"),
        );
        let access = match table.access {
            TableAccess::Read => "read",
            TableAccess::ReadWrite => "read-write",
        };
        f.set(
            b,
            Field::DynamoAccess,
            Some(access),
            &at("dynamodb[0].access"),
        );
        if !together {
            f.rest(&p.dynamodb, &at("dynamodb"));
        }
    }
    if let Some(queue) = p.sqs.first() {
        let together = p.sqs.iter().all(|g| g.access == queue.access);
        let queues = if together {
            join(p.sqs.iter().map(|g| g.queue.as_str()))
        } else {
            queue.queue.clone()
        };
        f.set(b, Field::SqsQueue, Some(&queues), &at("sqs[0].queue"));
        let access = match queue.access {
            QueueAccess::Consume => "consume",
            QueueAccess::Send => "send",
        };
        f.set(b, Field::SqsAccess, Some(access), &at("sqs[0].access"));
        if !together {
            f.rest(&p.sqs, &at("sqs"));
        }
    }
    if !p.managed_policy_arns.is_empty() {
        let arns = join(p.managed_policy_arns.iter().map(String::as_str));
        f.set(
            b,
            Field::ManagedPolicyArn,
            Some(&arns),
            &at("managedPolicyArns[0]"),
        );
    }
    if let Some(addon) = p.addons.first() {
        f.set(b, Field::Addon, Some(&addon.name), &at("addons[0].name"));
        f.set(
            b,
            Field::AddonVersion,
            addon.version.as_deref(),
            &at("addons[0].version"),
        );
        let inputs = irsa_core::spec::AddonGrant {
            name: addon.name.clone(),
            version: addon.version.clone(),
            ..irsa_core::spec::AddonGrant::default()
        };
        f.leave(*addon != inputs, at("addons[0]: its ARNs"));
    }
    f.rest(&p.addons, &at("addons"));
    for i in 0..p.statements.len() {
        f.left_out.push(at(&format!("statements[{i}]")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use irsa_core::validate::read_spec;

    /// Open what the page downloads: the same form (the spec the CLI reads
    /// is exactly the form's).
    #[test]
    fn the_forms_spec_opens_as_the_same_form() {
        let mut form = Form::default();
        for (field, value) in [
            (Field::AccountId, "012345678901"),
            (Field::Region, "us-gov-west-1"),
            (Field::Cluster, "0A1B2C3D4E5F60718293A4B5C6D7E8F9"),
            (Field::IdentityType, "both"),
            (Field::ClusterName, "no"),
            (Field::TokenExpiration, "3600"),
            (Field::RegionalSts, "true"),
            (Field::Namespace, "on"),
            (Field::ServiceAccount, "app"),
            (Field::S3Bucket, "my-bucket, my-other-bucket"),
            (Field::S3Access, "read-write"),
            (Field::Boundary, "arn:aws-us-gov:iam::012345678901:policy/Boundary"),
            (Field::Tags, "team=payments, cost-center=42"),
            (Field::ManagedPolicyArn, "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess, arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            (Field::Addon, "karpenter"),
            (Field::AddonVersion, "0.37.5"),
            (Field::WorkloadName, "web"),
        ] {
            form.set(field, value);
        }
        form.duplicate_binding(0);
        form.set_in(1, Field::ServiceAccount, "worker-*");
        form.set_in(1, Field::SqsQueue, "jobs, retries");
        form.set_in(1, Field::SqsAccess, "send");
        form.add_binding();
        let yaml = irsa_core::spec_yaml::to_yaml(&form.to_spec());
        let (spec, problems) = read_spec(&yaml).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(spec, form.to_spec());
        let first = &spec.bindings[0];
        assert_eq!(first.permissions.s3.len(), 2);
        assert_eq!(first.permissions.managed_policy_arns.len(), 2);
        assert_eq!(
            first.tags.get("cost-center").map(String::as_str),
            Some("42")
        );
        assert_eq!(spec.bindings[1].permissions.sqs.len(), 2);
        // The lists, tags and boundary are valid (the form as a whole is
        // not: its third binding is blank).
        let valid = form.to_spec().validate();
        let listed = [
            "tags",
            "permissionsBoundary",
            "managedPolicyArns",
            "s3",
            "sqs",
        ];
        assert!(
            !valid
                .diagnostics
                .iter()
                .filter_map(|d| d.path.as_deref())
                .any(|p| listed.iter().any(|l| p.contains(l))),
            "{:?}",
            valid.diagnostics
        );
        let (opened, left_out) = form_of(&spec);
        assert_eq!(opened, form, "{yaml}");
        assert!(left_out.is_empty(), "{left_out:?}");
    }

    #[test]
    fn what_the_form_cannot_hold_is_listed() {
        let text = "region: us-east-1\naudience: sts.example\nbindings:\n  - serviceAccount: [a, b]\n    tags: {'a,b': x}\n    permissions:\n      s3: [{bucket: one, prefix: p/}, {bucket: two}]\n      addons: [{name: external-dns, hostedZoneArns: [z]}, {name: nope}]\n      statements: [{Effect: Allow}]\n";
        let (spec, _) = read_spec(text).unwrap();
        let (form, left_out) = form_of(&spec);
        assert_eq!(form.get(Field::ServiceAccount), "a");
        assert_eq!(form.get(Field::S3Bucket), "one");
        assert_eq!(form.get(Field::Addon), "external-dns");
        assert_eq!(
            left_out,
            [
                "audience",
                "bindings[0].serviceAccount[1]",
                "bindings[0].tags",
                "bindings[0].permissions.s3[0].prefix",
                "bindings[0].permissions.s3[1]",
                "bindings[0].permissions.addons[0]: its ARNs",
                "bindings[0].permissions.addons[1]",
                "bindings[0].permissions.statements[0]",
            ]
        );
    }
}
