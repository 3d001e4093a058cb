//! A spec (an opened or pasted spec file, read by core) into the form: one
//! row per S3 bucket, DynamoDB table, SQS queue and add-on (each with its
//! settings and inputs), the statements as JSON, the boundary and the tags.
//! What the form has no field for (or cannot write back as it was) is
//! listed by path, never dropped without a word.

use irsa_core::addons::AddonInput;
use irsa_core::spec::{BindingSpec, Permissions, QueueAccess, S3Access, TableAccess};
use irsa_core::{IdentityType, Spec};

use crate::form::Form;
use crate::form_fields::{Field, MAX_BINDINGS};
use crate::form_lists::{join, tags_text};
use crate::form_rows::Group;

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

    /// Sets `field` of row `row` (as [`Filler::set`]).
    fn set_at(&mut self, b: usize, field: Field, row: usize, value: Option<&str>, path: &str) {
        let Some(value) = value else { return };
        self.form.set_at(b, field, row, value);
        if self.form.get_at(b, field, row) != value {
            self.left_out.push(path.to_string());
        }
    }

    /// Names the item of row `row`: a name with a comma would be read back
    /// as two items, so it is left out, said.
    fn item(&mut self, b: usize, field: Field, row: usize, name: &str, path: &str) {
        if name.is_empty() || name.contains(',') || name.trim() != name {
            self.left_out.push(path.to_string());
        } else {
            self.set_at(b, field, row, Some(name), path);
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
    // One row per element, with its own settings.
    f.form.grow_rows(b, Group::S3, p.s3.len());
    for (r, g) in p.s3.iter().enumerate() {
        let access = match g.access {
            S3Access::Read => "read",
            S3Access::Write => "write",
            S3Access::ReadWrite => "read-write",
        };
        f.item(
            b,
            Field::S3Bucket,
            r,
            &g.bucket,
            &at(&format!("s3[{r}].bucket")),
        );
        f.set_at(
            b,
            Field::S3Prefix,
            r,
            g.prefix.as_deref(),
            &at(&format!("s3[{r}].prefix")),
        );
        f.set_at(
            b,
            Field::S3Access,
            r,
            Some(access),
            &at(&format!("s3[{r}].access")),
        );
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
    f.form.grow_rows(b, Group::Tables, p.dynamodb.len());
    for (r, g) in p.dynamodb.iter().enumerate() {
        let access = match g.access {
            TableAccess::Read => "read",
            TableAccess::ReadWrite => "read-write",
        };
        f.item(
            b,
            Field::DynamoTable,
            r,
            &g.table,
            &at(&format!("dynamodb[{r}].table")),
        );
        f.set_at(
            b,
            Field::DynamoAccess,
            r,
            Some(access),
            &at(&format!("dynamodb[{r}].access")),
        );
    }
    f.form.grow_rows(b, Group::Queues, p.sqs.len());
    for (r, g) in p.sqs.iter().enumerate() {
        let access = match g.access {
            QueueAccess::Consume => "consume",
            QueueAccess::Send => "send",
        };
        f.item(
            b,
            Field::SqsQueue,
            r,
            &g.queue,
            &at(&format!("sqs[{r}].queue")),
        );
        f.set_at(
            b,
            Field::SqsAccess,
            r,
            Some(access),
            &at(&format!("sqs[{r}].access")),
        );
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
    f.form.grow_rows(b, Group::Addons, p.addons.len());
    for (r, addon) in p.addons.iter().enumerate() {
        let here = |k: &str| at(&format!("addons[{r}].{k}"));
        f.set_at(b, Field::Addon, r, Some(&addon.name), &here("name"));
        f.set_at(
            b,
            Field::AddonVersion,
            r,
            addon.version.as_deref(),
            &here("version"),
        );
        for input in AddonInput::ALL {
            let arns = addon.input(input);
            if arns
                .iter()
                .any(|a| a.contains(',') || a.trim() != a || a.is_empty())
            {
                // A comma list cannot hold it as written.
                f.left_out.push(here(input.field()));
            } else if !arns.is_empty() {
                let text = join(arns.iter().map(String::as_str));
                f.set_at(
                    b,
                    Field::AddonInput(input),
                    r,
                    Some(&text),
                    &here(input.field()),
                );
            }
        }
    }
    if !p.statements.is_empty() {
        let text = crate::form_statements::text(&p.statements);
        f.set(b, Field::Statements, Some(&text), &at("statements"));
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
            (Field::S3Bucket, "my-bucket"),
            (Field::S3Access, "read-write"),
            (Field::Boundary, "arn:aws-us-gov:iam::012345678901:policy/Boundary"),
            (Field::Tags, "team=payments, cost-center=42"),
            (Field::ManagedPolicyArn, "arn:aws-us-gov:iam::aws:policy/ReadOnlyAccess, arn:aws-us-gov:iam::aws:policy/AmazonS3ReadOnlyAccess"),
            (Field::Addon, "karpenter"),
            (Field::AddonVersion, "0.37.5"),
            (Field::WorkloadName, "web"),
            (Field::Statements, "[\n  {\n    \"Effect\": \"Allow\",\n    \"Action\": \"sns:Publish\",\n    \"Resource\": \"*\"\n  }\n]"),
        ] {
            form.set(field, value);
        }
        // A second bucket with its own prefix and access, a second add-on
        // with its inputs.
        form.add_row(0, Group::S3);
        form.set_at(0, Field::S3Bucket, 1, "my-other-bucket");
        form.set_at(0, Field::S3Prefix, 1, "uploads/");
        form.set_at(0, Field::S3Access, 1, "write");
        form.add_row(0, Group::Addons);
        form.set_at(0, Field::Addon, 1, "external-dns");
        let zones =
            "arn:aws-us-gov:route53:::hostedzone/Z1, arn:aws-us-gov:route53:::hostedzone/Z2";
        form.set_at(0, Field::AddonInput(AddonInput::HostedZones), 1, zones);
        form.duplicate_binding(0);
        form.set_in(1, Field::ServiceAccount, "worker-*");
        form.set_in(1, Field::SqsQueue, "jobs");
        form.set_in(1, Field::SqsAccess, "send");
        form.add_row(1, Group::Queues);
        form.set_at(1, Field::SqsQueue, 1, "retries");
        form.set_in(1, Field::DynamoTable, "orders");
        form.add_row(1, Group::Tables);
        form.set_at(1, Field::DynamoTable, 1, "audit");
        form.set_at(1, Field::DynamoAccess, 1, "read-write");
        form.add_binding();
        let yaml = irsa_core::spec_yaml::to_yaml(&form.to_spec());
        let (spec, problems) = read_spec(&yaml).unwrap();
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(spec, form.to_spec());
        let first = &spec.bindings[0];
        assert_eq!(first.permissions.s3.len(), 2);
        assert_eq!(first.permissions.s3[1].prefix.as_deref(), Some("uploads/"));
        assert_eq!(first.permissions.addons[1].hosted_zone_arns.len(), 2);
        assert_eq!(first.permissions.statements.len(), 1);
        assert_eq!(first.permissions.managed_policy_arns.len(), 2);
        assert_eq!(
            first.tags.get("cost-center").map(String::as_str),
            Some("42")
        );
        assert_eq!(spec.bindings[1].permissions.sqs.len(), 2);
        assert_eq!(spec.bindings[1].permissions.dynamodb.len(), 2);
        // The lists, tags and boundary are valid (the form as a whole is
        // not: its third binding is blank).
        let valid = form.to_spec().validate();
        let listed = [
            "tags",
            "permissionsBoundary",
            "managedPolicyArns",
            "s3",
            "sqs",
            "dynamodb",
            "statements",
            "addons[1]",
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
        let text = "region: us-east-1\naudience: sts.example\nbindings:\n  - serviceAccount: [a, b]\n    tags: {'a,b': x}\n    permissions:\n      s3: [{bucket: one, prefix: p/}, {bucket: 'two,three'}]\n      addons: [{name: external-dns, hostedZoneArns: [z, 'y,x']}, {name: nope}]\n      statements: [{Effect: Allow}]\n";
        let (spec, _) = read_spec(text).unwrap();
        let (form, left_out) = form_of(&spec);
        assert_eq!(form.get(Field::ServiceAccount), "a");
        assert_eq!(form.get(Field::S3Bucket), "one");
        assert_eq!(form.get(Field::S3Prefix), "p/");
        assert_eq!(form.get(Field::Addon), "external-dns");
        assert_eq!(
            form.get(Field::Statements),
            "[\n  {\n    \"Effect\": \"Allow\"\n  }\n]"
        );
        assert_eq!(
            left_out,
            [
                "audience",
                "bindings[0].serviceAccount[1]",
                "bindings[0].tags",
                "bindings[0].permissions.s3[1].bucket",
                "bindings[0].permissions.addons[0].hostedZoneArns",
                "bindings[0].permissions.addons[1].name",
            ]
        );
    }
}
