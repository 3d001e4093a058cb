//! The add-ons as people read about them: `irsa-gen addons`, its JSON, and
//! the README's table are this one view of [`super::registry::ADDONS`].

use serde::Serialize;

use super::decl::Addon;
use super::registry::ADDONS;

/// One add-on: what it is, what it takes, which published policies it follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AddonInfo {
    /// Its name in the spec.
    pub name: &'static str,
    /// What it is.
    pub summary: &'static str,
    /// The spec fields that narrow it.
    pub inputs: Vec<&'static str>,
    /// True when the spec needs `clusterName`.
    pub needs_cluster_name: bool,
    /// Its policies, oldest first; the last is used without `version`.
    pub releases: Vec<ReleaseInfo>,
}

/// One published policy an add-on follows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ReleaseInfo {
    /// The controller versions it is for (`>= 1.3`, `any`).
    pub versions: String,
    /// Who publishes it.
    pub project: &'static str,
    /// Where.
    pub file: &'static str,
    /// At which release.
    pub release: &'static str,
}

impl AddonInfo {
    fn of(a: &Addon) -> AddonInfo {
        AddonInfo {
            name: a.name,
            summary: a.summary,
            inputs: a.inputs.iter().map(|i| i.field()).collect(),
            needs_cluster_name: a.needs_cluster_name,
            releases: a
                .release_ranges()
                .into_iter()
                .map(|(versions, r)| ReleaseInfo {
                    versions,
                    project: r.upstream.project,
                    file: r.upstream.file,
                    release: r.upstream.release,
                })
                .collect(),
        }
    }

    /// The inputs as one line (`none` without).
    pub fn inputs_text(&self) -> String {
        let mut parts: Vec<String> = self.inputs.iter().map(|i| format!("`{i}`")).collect();
        if self.needs_cluster_name {
            parts.push("needs `clusterName`".into());
        }
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }

    /// The upstream of the current policy, and the older ones `version` selects.
    pub fn upstream_text(&self) -> String {
        let Some(current) = self.releases.last() else {
            return String::new();
        };
        let mut out = format!("{} {}", current.project, current.release);
        if self.releases.len() > 1 {
            let older: Vec<String> = self
                .releases
                .iter()
                .rev()
                .skip(1)
                .map(|r| format!("{} for {}", r.release, r.versions))
                .collect();
            out.push_str(&format!(" (`version`: {})", older.join("; ")));
        }
        out
    }
}

/// Every add-on, in [`ADDONS`] order.
pub fn catalogue() -> Vec<AddonInfo> {
    ADDONS.iter().map(AddonInfo::of).collect()
}

/// The README's table of add-ons.
pub fn markdown_table() -> String {
    let mut out = String::from("| `name` | inputs | upstream policy followed |\n|---|---|---|\n");
    for a in catalogue() {
        out.push_str(&format!(
            "| `{}` | {} | {} |\n",
            a.name,
            a.inputs_text(),
            a.upstream_text()
        ));
    }
    out
}
