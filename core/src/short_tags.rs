//! CloudFormation's short tags (`!Sub`, `!GetAtt`, `!Ref`...) and the long
//! forms CloudFormation reads them as. The YAML reader (`source`) turns a
//! tagged node into the one-entry mapping of its long form; `iac::intrinsics`
//! then reduces the functions. Facts of the syntax, below both.

/// The short tags of the CloudFormation YAML syntax and their long forms.
const SHORT_TAGS: &[(&str, &str)] = &[
    ("Ref", "Ref"),
    ("Condition", "Condition"),
    ("Sub", "Fn::Sub"),
    ("GetAtt", "Fn::GetAtt"),
    ("Join", "Fn::Join"),
    ("If", "Fn::If"),
    ("Select", "Fn::Select"),
    ("Split", "Fn::Split"),
    ("FindInMap", "Fn::FindInMap"),
    ("ImportValue", "Fn::ImportValue"),
    ("Base64", "Fn::Base64"),
    ("Cidr", "Fn::Cidr"),
    ("GetAZs", "Fn::GetAZs"),
    ("Equals", "Fn::Equals"),
    ("And", "Fn::And"),
    ("Or", "Fn::Or"),
    ("Not", "Fn::Not"),
    ("Length", "Fn::Length"),
    ("ToJsonString", "Fn::ToJsonString"),
    ("Transform", "Fn::Transform"),
];

/// The long form of a short tag's name (`Sub` -> `Fn::Sub`).
pub fn long_form(suffix: &str) -> Option<&'static str> {
    SHORT_TAGS
        .iter()
        .find(|(s, _)| *s == suffix)
        .map(|(_, l)| *l)
}
