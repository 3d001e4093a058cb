//! The shape of an add-on declaration: plain data, written once per add-on in
//! its own file and turned into statements by `interpret.rs`.
//!
//! Strings of a declaration are templates. `{p}` is the partition, `{region}`
//! and `{account}` the cluster's, `{cluster}` the cluster's name, `{sp:SVC}`
//! the service principal AWS uses for `SVC` in the partition (see
//! [`crate::aws::service_principals`]). A condition value that is exactly
//! `{sps:SVC}` stands for every principal of `SVC` in the partition (EC2 has
//! two in China). User input is never a template: it is copied as given.

use super::input::AddonInput;

/// One well-known add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addon {
    /// Its name in the spec (`permissions.addons[].name`).
    pub name: &'static str,
    /// What it is.
    pub summary: &'static str,
    /// The inputs it takes.
    pub inputs: &'static [AddonInput],
    /// True when its policy names the cluster (`clusterName` is then required).
    pub needs_cluster_name: bool,
    /// Its policies, oldest release first; the last is the current one.
    pub releases: &'static [Release],
}

/// A policy as a project published it, for the controller releases from
/// `since` until the next [`Release`] of the same add-on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Release {
    /// The first controller release this policy is for (`None`: every release
    /// before the next declared one).
    pub since: Option<Version>,
    /// Where the policy comes from.
    pub upstream: Upstream,
    /// The statements, in the order upstream writes them.
    pub statements: &'static [Statement],
    /// AWS managed policies to attach (templates).
    pub managed_policies: &'static [&'static str],
    /// Why some actions take `*` whatever the inputs: one sentence each.
    pub stays_star: &'static [&'static str],
}

/// The published policy a release follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Upstream {
    /// Who publishes it (a repository, or AWS for a managed policy).
    pub project: &'static str,
    /// The file or page it is written in.
    pub file: &'static str,
    /// The release (or managed policy version) it was read at.
    pub release: &'static str,
}

/// A controller version, major and minor (patch releases share a policy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Version {
    /// Major.
    pub major: u32,
    /// Minor.
    pub minor: u32,
}

impl Version {
    /// Reads `1.14`, `v0.37.5` or `1.2.0-rc.1`; None for anything else.
    pub fn parse(text: &str) -> Option<Version> {
        let t = text.trim();
        let t = t.strip_prefix('v').unwrap_or(t);
        let core = t.split(['-', '+']).next()?;
        let mut parts = core.split('.');
        let number = |s: Option<&str>| -> Option<u32> {
            let s = s?;
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let major = number(parts.next())?;
        let minor = number(parts.next())?;
        match parts.next() {
            None => {}
            Some(patch) => {
                number(Some(patch))?;
            }
        }
        parts.next().is_none().then_some(Version { major, minor })
    }
}

impl std::fmt::Display for Version {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// One Allow statement of a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Statement {
    /// The actions, as upstream lists them.
    pub actions: &'static [&'static str],
    /// What they act on.
    pub resources: Resources,
    /// Conditions: operator, key, values (templates), grouped by operator in this order.
    pub conditions: &'static [Condition],
    /// When the statement is part of the policy.
    pub when: When,
}

impl Statement {
    /// A statement on `*`, always present: the base the declarations start from.
    pub const STAR: Statement = Statement {
        actions: &[],
        resources: Resources::Star,
        conditions: &[],
        when: When::Always,
    };
}

/// The resources of a statement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resources {
    /// `*`: the actions take nothing narrower, or upstream scopes them by condition.
    Star,
    /// Fixed ARNs (templates).
    Arns(&'static [&'static str]),
    /// The ARNs of an input, or the scope's fallback when the input is absent.
    Input(Scoped),
    /// Exactly the ARNs of an input; the statement is left out without them
    /// (optional grants such as KMS keys).
    Given(AddonInput),
}

/// Resources narrowed by an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scoped {
    /// What the input means here and what remains without it.
    pub scope: &'static Scope,
    /// Only the input's ARNs of this service (`elasticfilesystem`, `s3files`, ...);
    /// the statement is left out when the input is given and none is of it.
    pub service: Option<&'static str>,
    /// Appended to each ARN (`/*` for a bucket's objects).
    pub suffix: &'static str,
}

/// An input as one add-on uses it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scope {
    /// The spec field.
    pub input: AddonInput,
    /// What the statements get without the input (templates; the suffix is appended).
    pub fallback: &'static [&'static str],
    /// The warning (`SPEC046`) when the fallback is used: what remains wide, and the field that narrows it.
    pub without: &'static str,
}

/// One condition: `{ op: { key: values } }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Condition {
    /// The operator (`StringEquals`, `Null`, `ForAllValues:StringEquals`, ...).
    pub op: &'static str,
    /// The key (template).
    pub key: &'static str,
    /// The values (templates).
    pub values: &'static [&'static str],
}

/// Shorthand for a [`Condition`] in a declaration.
pub const fn cond(
    op: &'static str,
    key: &'static str,
    values: &'static [&'static str],
) -> Condition {
    Condition { op, key, values }
}

/// When a statement is part of the policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    /// Always.
    Always,
    /// When `own` has values, or when neither `own` nor `other` has: an add-on
    /// reading two kinds of store (secrets, parameters) is narrowed to the
    /// kind the user names.
    GivenOrNeither {
        /// The input this statement reads.
        own: AddonInput,
        /// The other store's input.
        other: AddonInput,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_read_as_releases_name_them() {
        let v = |major, minor| Some(Version { major, minor });
        assert_eq!(Version::parse("1.14"), v(1, 14));
        assert_eq!(Version::parse("v0.37.5"), v(0, 37));
        assert_eq!(Version::parse(" 1.2.0-rc.1 "), v(1, 2));
        for bad in ["", "1", "latest", "1.x", "1.2.3.4", "v", "1..2", "-1.2"] {
            assert_eq!(Version::parse(bad), None, "{bad}");
        }
        assert_eq!(
            Version {
                major: 0,
                minor: 37
            }
            .to_string(),
            "0.37"
        );
    }
}
