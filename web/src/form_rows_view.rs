//! The rows of a binding's permissions in the page: one line of inputs per
//! S3 bucket, DynamoDB table, SQS queue or add-on (an add-on's inputs are
//! those it takes, and any other holding a value), each removable, and a
//! button that adds one.

use yew::prelude::*;

use crate::app::Dispatch;
use crate::form_rows::{addon_inputs_shown, Group};
use crate::generate_view::input_of;
use crate::state::{Action, Field, State};

/// The label of `field` in row `row`: "S3 bucket", then "S3 bucket 2"...
/// (every input's name is its own).
pub(crate) fn row_label(field: Field, row: usize) -> String {
    match (field.group(), row) {
        (Some(_), r) if r > 0 => format!("{} {}", field.label(), r + 1),
        _ => field.label().to_string(),
    }
}

/// Every row of `group` in binding `b`, and the button that adds one.
pub(crate) fn rows_view(state: &State, d: &Dispatch, b: usize, group: Group) -> Html {
    let n = state.form.rows(b, Some(group));
    let add = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::AddRow(b, group)))
    };
    html! {
        <div class="rows" data-rows={group.id()}>
            { for (0..n).map(|r| row_view(state, d, b, group, r)) }
            <p class="row-actions">
                <button type="button" class="ghost" onclick={add}>{ group.add_label() }</button>
            </p>
        </div>
    }
}

fn row_view(state: &State, d: &Dispatch, b: usize, group: Group, r: usize) -> Html {
    let form = &state.form;
    let columns: Vec<Field> = match group {
        Group::Addons => {
            let name = form.get_at(b, Field::Addon, r);
            let filled = |i| !form.get_at(b, Field::AddonInput(i), r).trim().is_empty();
            let mut shown = vec![Field::Addon];
            if !name.is_empty() {
                shown.push(Field::AddonVersion);
            }
            shown.extend(
                addon_inputs_shown(name, filled)
                    .into_iter()
                    .map(Field::AddonInput),
            );
            shown
        }
        _ => group.columns().to_vec(),
    };
    let blank = columns
        .iter()
        .all(|f| form.get_at(b, *f, r) == f.default_value());
    let removable = r > 0 || !blank || form.rows(b, Some(group)) > 1;
    let remove = {
        let d = d.clone();
        Callback::from(move |_| d.dispatch(Action::RemoveRow(b, group, r)))
    };
    let what = format!("{} {}", group.noun(), r + 1);
    html! {
        <div class={classes!("row", (group == Group::Addons).then_some("addon-row"))} data-row={(r + 1).to_string()}>
            { for columns.iter().map(|f| input_of(state, d, b, *f, r, row_label(*f, r))) }
            if removable {
                <button type="button" class="ghost remove-row" onclick={remove}
                    aria-label={format!("Remove {what} of binding {}", b + 1)}>{ "Remove" }</button>
            }
        </div>
    }
}
