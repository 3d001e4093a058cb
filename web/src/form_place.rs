//! Where a finding goes in the form: the binding, field and row a
//! diagnostic's path (`bindings[1].permissions.s3[2].prefix`) belongs to.
//! A list's element is the row it came from (blank rows give no element,
//! a row of `a, b` two), a field of no row is matched by [`Field::owns`].

use crate::form::Form;
use crate::form_fields::{split_binding, Field};
use crate::form_rows::Group;

/// A field of the form: binding, field and row (0 for a field of no row).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    /// The binding (0 for the spec's own fields).
    pub binding: usize,
    /// The field.
    pub field: Field,
    /// The row.
    pub row: usize,
}

/// The place of a finding at `path` in `form`, if the form shows it.
pub fn place(form: &Form, path: &str) -> Option<Place> {
    let Some((binding, rest)) = split_binding(path) else {
        return Field::ALL
            .iter()
            .find(|f| !f.in_binding() && f.owns(0, path))
            .map(|f| Place {
                binding: 0,
                field: *f,
                row: 0,
            });
    };
    if binding >= form.binding_count() {
        return None;
    }
    if let Some(place) = row_place(form, binding, rest) {
        return Some(place);
    }
    if rest.starts_with("permissions.statements") {
        return Some(Place {
            binding,
            field: Field::Statements,
            row: 0,
        });
    }
    Field::ALL
        .iter()
        .find(|f| f.in_binding() && f.group().is_none() && f.owns(binding, path))
        .map(|f| Place {
            binding,
            field: *f,
            row: 0,
        })
}

/// `permissions.s3[2].prefix` -> the S3 prefix of the row element 2 came
/// from; `permissions.s3` (the list) -> its first row's bucket.
fn row_place(form: &Form, binding: usize, rest: &str) -> Option<Place> {
    let list = rest.strip_prefix("permissions.")?;
    let group = Group::ALL.into_iter().find(|g| {
        list.strip_prefix(g.list())
            .is_some_and(|after| after.is_empty() || after.starts_with('['))
    })?;
    let after = list.get(group.list().len()..).unwrap_or("");
    let (row, column) = match after.strip_prefix('[') {
        None => (0, ""),
        Some(index) => {
            let (n, column) = index.split_once(']')?;
            let n: usize = n.parse().ok()?;
            (*form.item_rows(binding, group).get(n)?, column)
        }
    };
    Some(Place {
        binding,
        field: group.column_of(column)?,
        row,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use irsa_core::addons::AddonInput;

    #[test]
    fn a_lists_element_is_the_row_it_came_from() {
        let mut form = Form::default();
        form.add_binding();
        form.grow_rows(1, Group::S3, 3);
        form.set_at(1, Field::S3Bucket, 0, "a, b");
        // Row 1 is blank: it gives no element.
        form.set_at(1, Field::S3Bucket, 2, "c");
        let at = |form: &Form, p: &str| place(form, p).map(|p| (p.binding, p.field, p.row));
        assert_eq!(
            at(&form, "bindings[1].permissions.s3[1].bucket"),
            Some((1, Field::S3Bucket, 0))
        );
        assert_eq!(
            at(&form, "bindings[1].permissions.s3[2].prefix"),
            Some((1, Field::S3Prefix, 2))
        );
        assert_eq!(
            at(&form, "bindings[1].permissions.s3[2]"),
            Some((1, Field::S3Bucket, 2))
        );
        assert_eq!(
            at(&form, "bindings[1].permissions.s3"),
            Some((1, Field::S3Bucket, 0))
        );
        assert_eq!(at(&form, "bindings[1].permissions.s3[3].bucket"), None);
        assert_eq!(at(&form, "bindings[1].permissions.sqsx[0]"), None);
        assert_eq!(
            at(&form, "bindings[0].permissions.statements[0].Effect"),
            Some((0, Field::Statements, 0))
        );
        assert_eq!(at(&form, "accountId"), Some((0, Field::AccountId, 0)));
        assert_eq!(
            at(&form, "bindings[0].namespace"),
            Some((0, Field::Namespace, 0))
        );
        assert_eq!(at(&form, "bindings[5].namespace"), None);
        form.set_at(0, Field::Addon, 0, "external-dns");
        assert_eq!(
            at(&form, "bindings[0].permissions.addons[0].hostedZoneArns[0]"),
            Some((0, Field::AddonInput(AddonInput::HostedZones), 0))
        );
        assert_eq!(
            at(&form, "bindings[0].permissions.addons[0].version"),
            Some((0, Field::AddonVersion, 0))
        );
    }
}
