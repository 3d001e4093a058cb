//! The values of the generate form ([`Form`]): a flat set of text fields, one
//! list per binding; [`Form::to_spec`] turns them into the same [`Spec`] the
//! CLI and the npm module take.

use irsa_core::addons::AddonInput;
use irsa_core::spec::{
    AddonGrant, BindingSpec, Permissions, QueueAccess, QueueGrant, S3Access, S3Grant, SecretGrant,
    TableAccess, TableGrant, WorkloadSpec,
};
use irsa_core::{IdentityType, Spec};

use crate::form_fields::*;
use crate::form_rows::Group;
use crate::{form_lists, form_statements};

/// The values of the form: one string per spec field, and per binding one
/// list per binding field, one string per row (a field of no row has one; a
/// form has at least one binding, a binding at least one row of each kind).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    values: Vec<String>,
    bindings: Vec<Vec<Vec<String>>>,
}

fn default_values() -> Vec<String> {
    Field::ALL
        .iter()
        .map(|f| f.default_value().to_string())
        .collect()
}

fn default_binding() -> Vec<Vec<String>> {
    Field::ALL
        .iter()
        .map(|f| vec![f.default_value().to_string()])
        .collect()
}

impl Default for Form {
    fn default() -> Self {
        Form {
            values: default_values(),
            bindings: vec![default_binding()],
        }
    }
}

impl Form {
    /// The value of a spec field, or of the first binding's field.
    pub fn get(&self, field: Field) -> &str {
        self.get_in(0, field)
    }

    /// The value of a field of binding `binding` (a spec field: its one
    /// value; a row's field: its first row's).
    pub fn get_in(&self, binding: usize, field: Field) -> &str {
        self.get_at(binding, field, 0)
    }

    /// The value of a field in row `row` of binding `binding`.
    pub fn get_at(&self, binding: usize, field: Field, row: usize) -> &str {
        if !field.in_binding() {
            return self.values.get(field.index()).map_or("", String::as_str);
        }
        self.bindings
            .get(binding)
            .and_then(|b| b.get(field.index()))
            .and_then(|rows| rows.get(row))
            .map_or("", String::as_str)
    }

    /// Sets a spec field or the first binding's; a select takes only one of its values.
    pub fn set(&mut self, field: Field, value: &str) {
        self.set_in(0, field, value);
    }

    /// Sets a field of binding `binding` (of its first row).
    pub fn set_in(&mut self, binding: usize, field: Field, value: &str) {
        self.set_at(binding, field, 0, value);
    }

    /// Sets a field of row `row` of binding `binding`.
    pub fn set_at(&mut self, binding: usize, field: Field, row: usize, value: &str) {
        if let Input::Select(choices) = field.input() {
            if !choices.iter().any(|c| c.0 == value) {
                return;
            }
        }
        let slot = if field.in_binding() {
            self.bindings
                .get_mut(binding)
                .and_then(|b| b.get_mut(field.index()))
                .and_then(|rows| rows.get_mut(row))
        } else {
            self.values.get_mut(field.index())
        };
        if let Some(slot) = slot {
            *slot = value.to_string();
        }
    }

    /// True when some row of `field` in binding `binding` is not blank.
    pub fn has_value(&self, binding: usize, field: Field) -> bool {
        (0..self.rows(binding, field.group()))
            .any(|r| !self.get_at(binding, field, r).trim().is_empty())
    }

    /// How many rows of `group` binding `binding` has (one for `None`: a
    /// field of no row).
    pub fn rows(&self, binding: usize, group: Option<Group>) -> usize {
        let Some(first) = group.and_then(|g| g.columns().first()) else {
            return 1;
        };
        self.bindings
            .get(binding)
            .and_then(|b| b.get(first.index()))
            .map_or(0, Vec::len)
    }

    /// Adds blank rows of `group` to binding `binding` until it has `n` (at
    /// most [`MAX_ROWS`]).
    pub fn grow_rows(&mut self, binding: usize, group: Group, n: usize) {
        let Some(b) = self.bindings.get_mut(binding) else {
            return;
        };
        for f in group.columns() {
            if let Some(rows) = b.get_mut(f.index()) {
                while rows.len() < n.min(MAX_ROWS) {
                    rows.push(f.default_value().to_string());
                }
            }
        }
    }

    /// Adds a blank row of `group` at the end of binding `binding`.
    pub fn add_row(&mut self, binding: usize, group: Group) {
        let n = self.rows(binding, Some(group));
        self.grow_rows(binding, group, n + 1);
    }

    /// Removes row `row` of `group`; the last one left is cleared instead.
    pub fn remove_row(&mut self, binding: usize, group: Group, row: usize) {
        let Some(b) = self.bindings.get_mut(binding) else {
            return;
        };
        for f in group.columns() {
            if let Some(rows) = b.get_mut(f.index()) {
                if row < rows.len() {
                    rows.remove(row);
                }
                if rows.is_empty() {
                    rows.push(f.default_value().to_string());
                }
            }
        }
    }

    /// How many bindings the form holds (at least one).
    pub fn binding_count(&self) -> usize {
        self.bindings.len()
    }

    /// Adds blank bindings until there are `n` (at most [`MAX_BINDINGS`]).
    pub fn grow_to(&mut self, n: usize) {
        while self.bindings.len() < n.min(MAX_BINDINGS) {
            self.bindings.push(default_binding());
        }
    }

    /// Adds a blank binding at the end.
    pub fn add_binding(&mut self) {
        if self.bindings.len() < MAX_BINDINGS {
            self.bindings.push(default_binding());
        }
    }

    /// Adds a copy of binding `binding` right after it.
    pub fn duplicate_binding(&mut self, binding: usize) {
        if let Some(copy) = self.bindings.get(binding).cloned() {
            if self.bindings.len() < MAX_BINDINGS {
                self.bindings.insert(binding + 1, copy);
            }
        }
    }

    /// Removes binding `binding`; the last one left is cleared instead.
    pub fn remove_binding(&mut self, binding: usize) {
        if binding < self.bindings.len() {
            self.bindings.remove(binding);
        }
        if self.bindings.is_empty() {
            self.bindings.push(default_binding());
        }
    }

    /// True when every field has its default value (the form is
    /// `Form::default()`, compared without building one: derive asks on
    /// every keystroke).
    pub fn is_blank(&self) -> bool {
        let blank = |values: &[String]| {
            values.len() == Field::ALL.len()
                && values
                    .iter()
                    .zip(Field::ALL)
                    .all(|(v, f)| v == f.default_value())
        };
        match self.bindings.as_slice() {
            [binding] => {
                blank(&self.values)
                    && binding.len() == Field::ALL.len()
                    && binding
                        .iter()
                        .zip(Field::ALL)
                        .all(|(rows, f)| rows.as_slice() == [f.default_value()])
            }
            _ => false,
        }
    }

    fn text_in(&self, binding: usize, field: Field) -> Option<String> {
        let v = self.get_in(binding, field);
        (!v.trim().is_empty()).then(|| v.to_string())
    }

    /// The spec the form describes: the same document the CLI reads.
    pub fn to_spec(&self) -> Spec {
        if self.is_blank() {
            return Spec::default();
        }
        let text = |f| self.text_in(0, f);
        Spec {
            account_id: text(Field::AccountId),
            region: text(Field::Region),
            cluster: text(Field::Cluster),
            cluster_name: text(Field::ClusterName),
            identity_type: match self.get(Field::IdentityType) {
                "pod-identity" => Some(IdentityType::PodIdentity),
                "both" => Some(IdentityType::Both),
                _ => None,
            },
            token_expiration: text(Field::TokenExpiration),
            sts_regional_endpoints: text(Field::RegionalSts),
            bindings: (0..self.bindings.len())
                .map(|b| self.binding_spec(b))
                .collect(),
            ..Spec::default()
        }
    }

    fn binding_spec(&self, b: usize) -> BindingSpec {
        let text = |f| self.text_in(b, f);
        let workload = match (text(Field::WorkloadName), text(Field::WorkloadImage)) {
            (None, None) => None,
            (name, image) => Some(WorkloadSpec {
                name,
                image,
                container: None,
                replicas: None,
            }),
        };
        BindingSpec {
            namespace: text(Field::Namespace),
            service_account: text(Field::ServiceAccount).into_iter().collect(),
            role_name: text(Field::RoleName),
            permissions_boundary: text(Field::Boundary),
            tags: form_lists::tags(self.get_in(b, Field::Tags)),
            permissions: self.permissions(b),
            workload,
            ..BindingSpec::default()
        }
    }

    /// The items row `row` of `group` gives (its first field as a comma
    /// list: a blank row gives none, `a, b` two items with the row's settings).
    pub fn row_items(&self, b: usize, group: Group, row: usize) -> Vec<String> {
        let Some(first) = group.columns().first() else {
            return Vec::new();
        };
        let text = self.get_at(b, *first, row);
        match group {
            Group::Addons => text
                .trim()
                .is_empty()
                .then(Vec::new)
                .unwrap_or_else(|| vec![text.trim().to_string()]),
            _ => form_lists::items(text),
        }
    }

    /// The row each element of the spec's list for `group` comes from, in order.
    pub fn item_rows(&self, b: usize, group: Group) -> Vec<usize> {
        (0..self.rows(b, Some(group)))
            .flat_map(|r| std::iter::repeat_n(r, self.row_items(b, group, r).len()))
            .collect()
    }

    fn permissions(&self, b: usize) -> Permissions {
        let at = |f, r| self.get_at(b, f, r);
        let list = |f| form_lists::items(self.get_in(b, f));
        let mut permissions = Permissions::default();
        for r in 0..self.rows(b, Some(Group::S3)) {
            let prefix = at(Field::S3Prefix, r);
            let access = match at(Field::S3Access, r) {
                "write" => S3Access::Write,
                "read-write" => S3Access::ReadWrite,
                _ => S3Access::Read,
            };
            for bucket in self.row_items(b, Group::S3, r) {
                permissions.s3.push(S3Grant {
                    bucket,
                    prefix: (!prefix.trim().is_empty()).then(|| prefix.to_string()),
                    access,
                });
            }
        }
        for secret in list(Field::Secret) {
            permissions.secrets_manager.push(SecretGrant { secret });
        }
        for r in 0..self.rows(b, Some(Group::Tables)) {
            let access = match at(Field::DynamoAccess, r) {
                "read-write" => TableAccess::ReadWrite,
                _ => TableAccess::Read,
            };
            for table in self.row_items(b, Group::Tables, r) {
                permissions.dynamodb.push(TableGrant { table, access });
            }
        }
        for r in 0..self.rows(b, Some(Group::Queues)) {
            let access = match at(Field::SqsAccess, r) {
                "send" => QueueAccess::Send,
                _ => QueueAccess::Consume,
            };
            for queue in self.row_items(b, Group::Queues, r) {
                permissions.sqs.push(QueueGrant { queue, access });
            }
        }
        permissions.managed_policy_arns = list(Field::ManagedPolicyArn);
        for r in 0..self.rows(b, Some(Group::Addons)) {
            for name in self.row_items(b, Group::Addons, r) {
                let version = at(Field::AddonVersion, r);
                let mut grant = AddonGrant {
                    name,
                    version: (!version.trim().is_empty()).then(|| version.to_string()),
                    ..AddonGrant::default()
                };
                for input in AddonInput::ALL {
                    *grant.input_mut(input) = form_lists::items(at(Field::AddonInput(input), r));
                }
                permissions.addons.push(grant);
            }
        }
        permissions.statements =
            form_statements::read(self.get_in(b, Field::Statements)).unwrap_or_default();
        permissions
    }
}
