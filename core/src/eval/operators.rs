//! Every condition operator IAM has, as data, and how one request value is
//! compared with one policy value
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html>).
//!
//! An operator is `[ForAnyValue:|ForAllValues:]BASE[IfExists]`. The bases are
//! String*, Numeric*, Date*, Bool, BinaryEquals, IpAddress/NotIpAddress, Arn*
//! and Null. The negated bases hold when no policy value matches.

/// What a base operator compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    /// Strings: `like` for `*`/`?` wildcards, `ignore_case` for the IgnoreCase forms.
    String { like: bool, ignore_case: bool },
    /// Numbers.
    Numeric(Order),
    /// Dates (ISO 8601 or epoch seconds).
    Date(Order),
    /// `true`/`false`, without case.
    Bool,
    /// Base-64 text, compared byte for byte.
    Binary,
    /// An address against CIDR blocks.
    Ip,
    /// ARNs: each of the six colon-separated parts matched with wildcards.
    Arn,
    /// Presence of the key.
    Null,
}

/// How two ordered values compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// `Equals` (and `NotEquals`).
    Eq,
    /// `LessThan`: request < policy.
    Lt,
    /// `LessThanEquals`.
    Le,
    /// `GreaterThan`.
    Gt,
    /// `GreaterThanEquals`.
    Ge,
}

impl Order {
    pub(crate) fn holds<T: PartialOrd>(self, request: T, policy: T) -> bool {
        match self {
            Order::Eq => request == policy,
            Order::Lt => request < policy,
            Order::Le => request <= policy,
            Order::Gt => request > policy,
            Order::Ge => request >= policy,
        }
    }
}

/// A base operator: its name, what it compares, and whether it is negated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Base {
    pub(crate) name: &'static str,
    pub(crate) family: Family,
    pub(crate) negated: bool,
}

const fn base(name: &'static str, family: Family, negated: bool) -> Base {
    Base {
        name,
        family,
        negated,
    }
}

const fn string(like: bool, ignore_case: bool) -> Family {
    Family::String { like, ignore_case }
}

/// Every base operator IAM documents.
pub(crate) const BASES: &[Base] = &[
    base("StringEquals", string(false, false), false),
    base("StringNotEquals", string(false, false), true),
    base("StringEqualsIgnoreCase", string(false, true), false),
    base("StringNotEqualsIgnoreCase", string(false, true), true),
    base("StringLike", string(true, false), false),
    base("StringNotLike", string(true, false), true),
    base("NumericEquals", Family::Numeric(Order::Eq), false),
    base("NumericNotEquals", Family::Numeric(Order::Eq), true),
    base("NumericLessThan", Family::Numeric(Order::Lt), false),
    base("NumericLessThanEquals", Family::Numeric(Order::Le), false),
    base("NumericGreaterThan", Family::Numeric(Order::Gt), false),
    base(
        "NumericGreaterThanEquals",
        Family::Numeric(Order::Ge),
        false,
    ),
    base("DateEquals", Family::Date(Order::Eq), false),
    base("DateNotEquals", Family::Date(Order::Eq), true),
    base("DateLessThan", Family::Date(Order::Lt), false),
    base("DateLessThanEquals", Family::Date(Order::Le), false),
    base("DateGreaterThan", Family::Date(Order::Gt), false),
    base("DateGreaterThanEquals", Family::Date(Order::Ge), false),
    base("Bool", Family::Bool, false),
    base("BinaryEquals", Family::Binary, false),
    base("IpAddress", Family::Ip, false),
    base("NotIpAddress", Family::Ip, true),
    base("ArnEquals", Family::Arn, false),
    base("ArnLike", Family::Arn, false),
    base("ArnNotEquals", Family::Arn, true),
    base("ArnNotLike", Family::Arn, true),
    base("Null", Family::Null, false),
];

/// The base operator of that name (operator names are case-sensitive).
pub(crate) fn lookup_base(name: &str) -> Option<&'static Base> {
    BASES.iter().find(|b| b.name == name)
}

/// An operator split into its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operator<'a> {
    /// `ForAnyValue` / `ForAllValues` qualifier.
    pub set: Option<SetQualifier>,
    /// The base operator (`StringEquals`), without qualifier and `IfExists`.
    pub base: &'a str,
    /// True with the `IfExists` suffix.
    pub if_exists: bool,
}

/// The set qualifiers of multi-valued keys
/// (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetQualifier {
    /// `ForAnyValue:`: some request value matches; false when the key is absent.
    AnyValue,
    /// `ForAllValues:`: every request value matches; true when the key is absent.
    AllValues,
}

/// Splits `ForAnyValue:StringLikeIfExists` into its parts.
pub fn parse_operator(op: &str) -> Operator<'_> {
    let (set, rest) = if let Some(r) = op.strip_prefix("ForAnyValue:") {
        (Some(SetQualifier::AnyValue), r)
    } else if let Some(r) = op.strip_prefix("ForAllValues:") {
        (Some(SetQualifier::AllValues), r)
    } else {
        (None, op)
    };
    let (base, if_exists) = match rest.strip_suffix("IfExists") {
        Some(b) if b != "Null" => (b, true),
        _ => (rest, false),
    };
    Operator {
        set,
        base,
        if_exists,
    }
}

/// True for the operators that hold when no value matches (and on an absent key).
pub fn is_negated(base: &str) -> bool {
    lookup_base(base).is_some_and(|b| b.negated)
}

/// The operators the evaluator knows.
pub fn is_known_operator(base: &str) -> bool {
    lookup_base(base).is_some()
}
