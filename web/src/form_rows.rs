//! The form's rows: the permission kinds a binding holds several of, each
//! item with its own settings (an S3 bucket with its prefix and access, a
//! DynamoDB table or an SQS queue with its access, an add-on with its
//! release and inputs). A row's fields are its columns; every binding has
//! at least one row of each kind (a blank one gives nothing).

use irsa_core::addons::AddonInput;

use crate::form_fields::Field;

/// A kind of row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Group {
    /// `permissions.s3`
    S3,
    /// `permissions.dynamodb`
    Tables,
    /// `permissions.sqs`
    Queues,
    /// `permissions.addons`
    Addons,
}

/// The add-on's columns: name, release, then every input in spec order.
const ADDON_COLUMNS: [Field; 13] = [
    Field::Addon,
    Field::AddonVersion,
    Field::AddonInput(AddonInput::HostedZones),
    Field::AddonInput(AddonInput::Buckets),
    Field::AddonInput(AddonInput::KmsKeys),
    Field::AddonInput(AddonInput::FileSystems),
    Field::AddonInput(AddonInput::Secrets),
    Field::AddonInput(AddonInput::Parameters),
    Field::AddonInput(AddonInput::Queues),
    Field::AddonInput(AddonInput::Workspaces),
    Field::AddonInput(AddonInput::NodeRoles),
    Field::AddonInput(AddonInput::TargetGroups),
    Field::AddonInput(AddonInput::CertificateAuthorities),
];

impl Group {
    /// Every kind, in the order the form shows them.
    pub const ALL: [Group; 4] = [Group::S3, Group::Tables, Group::Queues, Group::Addons];

    /// The fields of one row; the first names the item (a row whose first
    /// field is blank gives nothing).
    pub fn columns(self) -> &'static [Field] {
        match self {
            Group::S3 => &[Field::S3Bucket, Field::S3Prefix, Field::S3Access],
            Group::Tables => &[Field::DynamoTable, Field::DynamoAccess],
            Group::Queues => &[Field::SqsQueue, Field::SqsAccess],
            Group::Addons => &ADDON_COLUMNS,
        }
    }

    /// The row kind `field` is a column of, if any.
    pub fn of(field: Field) -> Option<Group> {
        Group::ALL
            .into_iter()
            .find(|g| g.columns().contains(&field))
    }

    /// The list of `permissions` its rows become.
    pub fn list(self) -> &'static str {
        match self {
            Group::S3 => "s3",
            Group::Tables => "dynamodb",
            Group::Queues => "sqs",
            Group::Addons => "addons",
        }
    }

    /// What one row is, for its buttons ("Add an S3 bucket").
    pub fn noun(self) -> &'static str {
        match self {
            Group::S3 => "S3 bucket",
            Group::Tables => "DynamoDB table",
            Group::Queues => "SQS queue",
            Group::Addons => "add-on",
        }
    }

    /// The button that adds a row.
    pub fn add_label(self) -> &'static str {
        match self {
            Group::S3 => "Add an S3 bucket",
            Group::Tables => "Add a DynamoDB table",
            Group::Queues => "Add an SQS queue",
            Group::Addons => "Add an add-on",
        }
    }

    /// A stable id for the page (`rows-s3`).
    pub fn id(self) -> &'static str {
        self.list()
    }

    /// The field of a row that a finding's remainder names: `.bucket`,
    /// `.access`, `.hostedZoneArns[2]`, or nothing (the item itself).
    pub fn column_of(self, rest: &str) -> Option<Field> {
        let key = rest.strip_prefix('.').unwrap_or(rest);
        let key = key.split(['.', '[']).next().unwrap_or("");
        if key.is_empty() {
            return self.columns().first().copied();
        }
        self.columns().iter().copied().find(|f| f.row_key() == key)
    }
}

/// The add-on's inputs to show in a row: those `addon` takes, and any
/// other that holds a value (validation says it is not used, beside it).
pub fn addon_inputs_shown(addon: &str, has_value: impl Fn(AddonInput) -> bool) -> Vec<AddonInput> {
    let takes = irsa_core::addons::find(addon).map_or(&[][..], |a| a.inputs);
    AddonInput::ALL
        .into_iter()
        .filter(|i| takes.contains(i) || has_value(*i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The add-on columns and the form's fields are written out by hand
    /// (constant arrays): each must hold every input core's add-ons take,
    /// in core's order, or an input would silently have no field.
    #[test]
    fn every_addon_input_has_its_column_and_field() {
        let inputs: Vec<Field> = AddonInput::ALL
            .iter()
            .map(|i| Field::AddonInput(*i))
            .collect();
        assert_eq!(ADDON_COLUMNS.get(2..), Some(inputs.as_slice()));
        for f in &inputs {
            assert!(
                Field::ALL.contains(f),
                "{f:?} is not among the form's fields"
            );
        }
    }

    #[test]
    fn every_row_field_is_in_one_group_and_named_by_its_key() {
        for g in Group::ALL {
            for f in g.columns() {
                assert_eq!(Group::of(*f), Some(g), "{f:?}");
                assert_eq!(g.column_of(&format!(".{}", f.row_key())), Some(*f));
            }
            assert_eq!(g.column_of(""), g.columns().first().copied());
        }
        assert_eq!(Group::of(Field::Namespace), None);
        assert_eq!(
            Group::Addons.column_of(".hostedZoneArns[1]"),
            Some(Field::AddonInput(AddonInput::HostedZones))
        );
        assert_eq!(Group::S3.column_of(".nope"), None);
    }

    #[test]
    fn an_addon_row_shows_its_inputs_and_any_filled_one() {
        let none = |_| false;
        assert_eq!(
            addon_inputs_shown("external-dns", none),
            [AddonInput::HostedZones]
        );
        assert!(addon_inputs_shown("", none).is_empty());
        let kms = addon_inputs_shown("external-dns", |i| i == AddonInput::KmsKeys);
        assert_eq!(kms, [AddonInput::HostedZones, AddonInput::KmsKeys]);
    }
}
