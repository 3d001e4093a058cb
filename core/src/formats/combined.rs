//! One file for several bindings (`generate --only KIND` with a spec of
//! several): what each format's own tool reads as one input.
//! - Scripts: one bash script that runs each binding's steps in turn (the
//!   first script whole, the others without their `#!` line; each part keeps
//!   its `set -euo pipefail`, so a failing step still stops the whole).
//! - HCL: one `main.tf` (resource names derive from the role name and no
//!   part has a provider or terraform block, so the parts live in one module).
//! - JSON policies: a JSON array with each binding's document.
//! - Kubernetes manifests: one YAML stream, as `kubectl apply -f` reads it.
//! - CloudFormation, eksctl ClusterConfig, Helm values, SpicepodSet: none
//!   (a template's logical IDs, a cluster config, a chart's values each hold
//!   one); [`joinable`] says so and the caller points to `--output-dir`.

use crate::generate::{Artefact, ArtefactKind, Format};

/// Whether the artefacts of several bindings can be one file of `kind`.
pub fn joinable(kind: ArtefactKind) -> bool {
    match kind {
        ArtefactKind::CloudFormationYaml
        | ArtefactKind::CloudFormationJson
        | ArtefactKind::EksctlCluster
        | ArtefactKind::HelmValues
        | ArtefactKind::SpicepodSet => false,
        ArtefactKind::TrustPolicy
        | ArtefactKind::PermissionsPolicy
        | ArtefactKind::ServiceAccount
        | ArtefactKind::Deployment
        | ArtefactKind::VerifyPod
        | ArtefactKind::Setup
        | ArtefactKind::EksctlScript
        | ArtefactKind::Terraform
        | ArtefactKind::PodIdentity => true,
    }
}

/// The artefacts of one kind, binding after binding, joined into one file.
#[derive(Debug, Default)]
pub struct Joined {
    text: String,
    documents: Vec<serde_json::Value>,
    parts: usize,
}

impl Joined {
    /// Adds the next binding's artefact.
    pub fn push(&mut self, a: &Artefact) {
        let first = self.parts == 0;
        self.parts += 1;
        match a.kind.format() {
            Format::Json => {
                if first {
                    self.text.push_str(&a.text);
                }
                self.documents.extend(a.documents.iter().cloned());
            }
            Format::Shell if !first => {
                let body = a.text.split_once('\n').map_or("", |(shebang, rest)| {
                    if shebang.starts_with("#!") {
                        rest
                    } else {
                        &a.text
                    }
                });
                self.text.push('\n');
                self.text.push_str(body);
            }
            Format::Hcl if !first => {
                self.text.push('\n');
                self.text.push_str(&a.text);
            }
            Format::Yaml if !first => {
                self.text.push_str("---\n");
                self.text.push_str(&a.text);
            }
            Format::Shell | Format::Hcl | Format::Yaml => self.text.push_str(&a.text),
        }
    }

    /// The one file; the JSON documents of several parts as a pretty-printed array.
    pub fn finish(self) -> String {
        if self.parts < 2 || self.documents.is_empty() {
            return self.text;
        }
        serde_json::to_string_pretty(&self.documents).unwrap_or_default() + "\n"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn script(n: u32) -> Artefact {
        Artefact::text(
            ArtefactKind::Setup,
            format!("#!/usr/bin/env bash\nset -euo pipefail\necho {n}\n"),
        )
    }

    #[test]
    fn scripts_keep_one_shebang() {
        let mut j = Joined::default();
        j.push(&script(1));
        j.push(&script(2));
        let text = j.finish();
        assert_eq!(text.matches("#!").count(), 1, "{text}");
        assert!(text.ends_with("echo 2\n"), "{text}");
        // Near miss: one part is the part itself.
        let mut one = Joined::default();
        one.push(&script(1));
        assert_eq!(one.finish(), script(1).text);
    }

    #[test]
    fn unjoinable_kinds_are_named() {
        assert!(!joinable(ArtefactKind::CloudFormationJson));
        assert!(joinable(ArtefactKind::Terraform));
    }
}
