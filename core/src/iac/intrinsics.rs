//! CloudFormation intrinsic functions. The YAML reader turns a short tag
//! (`!Sub`, `!GetAtt`) into the long form CloudFormation reads it as
//! ([`long_form`]); [`Resolver`] then reduces each function to the value
//! check can judge: `Fn::Sub` keeps its literal text with `${AWS::AccountId}`
//! and parameters as placeholders (a parameter's `Default` fills them),
//! `Ref` of a parameter is its `Default` or `${Name}`, `Fn::Join` and
//! `Fn::Select` of literal parts are computed, and what depends on the
//! deployment (`Fn::GetAtt`, `Fn::ImportValue`...) is a `${...}` placeholder.

use std::collections::HashMap;

use super::{map, seq, text};
use crate::source::{Node, Span, Value};

pub use crate::short_tags::long_form;

/// The one `Fn::*`/`Ref` call a node is, if it is one: name and argument.
fn call(node: &Node) -> Option<(&str, &Node)> {
    match node.as_map()? {
        [(k, v)] => {
            let name = k.as_text()?;
            (name == "Ref" || name.starts_with("Fn::")).then_some((name, v))
        }
        _ => None,
    }
}

/// Reduces intrinsic functions with the template's parameters.
#[derive(Debug, Default)]
pub struct Resolver {
    /// Parameter name -> its `Default`, when it has a string one.
    defaults: HashMap<String, String>,
    /// The `Fn::If` branches not judged (the second, when the first is a
    /// value), with their condition: said, not dropped.
    skipped: std::cell::RefCell<Vec<(Span, String)>>,
}

/// The template's `AWS::IAM::OIDCProvider` resources with a literal `Url`,
/// each with the ARN a `Ref` to it returns (the partition from an EKS
/// issuer's region, the account a placeholder), so that a trust naming the
/// provider by `Ref` is checked against its issuer.
fn oidc_providers(root: &Node) -> Vec<(String, String)> {
    let resources = root.get("Resources").and_then(Node::as_map).unwrap_or(&[]);
    let mut out = Vec::new();
    for (name, r) in resources {
        if r.get("Type").and_then(Node::as_text) != Some("AWS::IAM::OIDCProvider") {
            continue;
        }
        let url = r
            .get("Properties")
            .and_then(|p| p.get("Url"))
            .and_then(Node::as_text);
        let (Some(name), Some(url)) = (name.as_text(), url) else {
            continue;
        };
        let Some(host) = url.strip_prefix("https://") else {
            continue;
        };
        let partition = match crate::aws::Issuer::parse(url) {
            Ok(crate::aws::Issuer {
                region: Some(region),
                ..
            }) => crate::aws::Partition::of_region(&region).to_string(),
            _ => "${AWS::Partition}".to_string(),
        };
        let host = host.trim_end_matches('/');
        out.push((
            name.to_string(),
            format!("arn:{partition}:iam::${{AWS::AccountId}}:oidc-provider/{host}"),
        ));
    }
    out
}

/// What a function reduced to: a node, or nothing (`Ref: AWS::NoValue`).
type Reduced = Option<Node>;

impl Resolver {
    /// The resolver of a template (its `Parameters` with `Default`s).
    pub fn of_template(root: &Node) -> Self {
        let defaults = root
            .get("Parameters")
            .and_then(Node::as_map)
            .unwrap_or(&[])
            .iter()
            .filter_map(|(k, v)| {
                let d = v.get("Default")?.as_text()?;
                Some((k.as_text()?.to_string(), d.to_string()))
            })
            .filter(|(_, d)| !d.is_empty())
            .chain(oidc_providers(root))
            .collect();
        Resolver {
            defaults,
            skipped: Default::default(),
        }
    }

    /// The `Fn::If` branches left unjudged so far (where, and the condition).
    pub fn skipped(&self) -> Vec<(Span, String)> {
        self.skipped.take()
    }

    /// `node` with every intrinsic function reduced.
    pub fn resolve(&self, node: &Node) -> Reduced {
        if let Some((name, arg)) = call(node) {
            return self.function(name, arg, node);
        }
        Some(match &node.value {
            Value::Scalar { .. } => node.clone(),
            Value::Seq(items) => seq(
                items.iter().filter_map(|i| self.resolve(i)).collect(),
                node.span,
            ),
            Value::Map(entries) => map(
                entries
                    .iter()
                    .filter_map(|(k, v)| Some((k.clone(), self.resolve(v)?)))
                    .collect(),
                node.span,
            ),
        })
    }

    fn function(&self, name: &str, arg: &Node, at: &Node) -> Reduced {
        let opaque = |what: String| Some(text(format!("${{{what}}}"), at.span));
        match name {
            "Ref" => {
                let target = arg.as_text().unwrap_or("");
                if target == "AWS::NoValue" {
                    return None;
                }
                match self.defaults.get(target) {
                    Some(d) => Some(text(d.clone(), arg.span)),
                    None => opaque(target.to_string()),
                }
            }
            "Fn::Sub" => self.sub(arg, at),
            "Fn::GetAtt" => {
                let parts: Vec<&str> = match arg.as_seq() {
                    Some(items) => items.iter().filter_map(Node::as_text).collect(),
                    None => arg.as_text().into_iter().collect(),
                };
                opaque(parts.join("."))
            }
            "Fn::Join" => self.join(arg, at),
            "Fn::Select" => self.select(arg, at),
            "Fn::If" => {
                // Either branch may be deployed: the first that is a value is
                // judged, the other said.
                let items = arg.as_seq().unwrap_or(&[]);
                let condition = items
                    .first()
                    .and_then(Node::as_text)
                    .unwrap_or("")
                    .to_string();
                let mut branches = items.iter().skip(1);
                let judged = branches.by_ref().find_map(|b| self.resolve(b));
                for other in branches.filter(|b| {
                    call(b).is_none_or(|(n, a)| n != "Ref" || a.as_text() != Some("AWS::NoValue"))
                }) {
                    self.skipped
                        .borrow_mut()
                        .push((other.span, condition.clone()));
                }
                judged
            }
            other => opaque(other.to_string()),
        }
    }

    /// `Fn::Sub`: a string, or `[string, {Var: value}]`.
    fn sub(&self, arg: &Node, at: &Node) -> Reduced {
        let (template, vars) = match arg.as_seq() {
            Some([t, vars, ..]) => (t, vars.as_map().unwrap_or(&[])),
            Some([t]) => (t, &[][..]),
            _ => (arg, &[][..]),
        };
        let Some(s) = template.as_text() else {
            return Some(text("${Fn::Sub}", at.span));
        };
        let mut filled = s.to_string();
        for (k, v) in vars {
            let (Some(k), Some(v)) = (k.as_text(), self.resolve(v)) else {
                continue;
            };
            if let Some(v) = v.as_text() {
                filled = filled.replace(&format!("${{{k}}}"), v);
            }
        }
        for (k, d) in &self.defaults {
            filled = filled.replace(&format!("${{{k}}}"), d);
        }
        // `${!Literal}` is the text `${Literal}`.
        Some(text(filled.replace("${!", "${"), template.span))
    }

    /// `Fn::Join: [delimiter, [parts]]`, when every part is text.
    fn join(&self, arg: &Node, at: &Node) -> Reduced {
        let joined = (|| {
            let [delim, parts] = arg.as_seq()? else {
                return None;
            };
            let parts = self.resolve(parts)?;
            let texts: Option<Vec<String>> = parts
                .as_seq()?
                .iter()
                .map(|p| p.as_text().map(str::to_string))
                .collect();
            Some(texts?.join(delim.as_text()?))
        })();
        Some(text(
            joined.unwrap_or_else(|| "${Fn::Join}".to_string()),
            at.span,
        ))
    }

    /// `Fn::Select: [index, list]`, when the list is written out.
    fn select(&self, arg: &Node, at: &Node) -> Reduced {
        let picked = (|| {
            let [index, list] = arg.as_seq()? else {
                return None;
            };
            let i: usize = index.as_text()?.parse().ok()?;
            self.resolve(list)?.as_seq()?.get(i).cloned()
        })();
        picked.or_else(|| Some(text("${Fn::Select}", at.span)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{parse_documents, Limits};

    fn resolved(yaml: &str) -> serde_json::Value {
        let root = parse_documents(yaml, &Limits::default())
            .unwrap_or_default()
            .remove(0)
            .root;
        let r = Resolver::of_template(&root);
        r.resolve(root.get("V").unwrap_or(&root))
            .map_or(serde_json::Value::Null, |n| n.to_json())
    }

    #[test]
    fn short_tags_are_long_forms() {
        assert_eq!(
            resolved("V: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:x'\n"),
            serde_json::json!("arn:${AWS::Partition}:iam::${AWS::AccountId}:x")
        );
        assert_eq!(
            resolved("V: !GetAtt Role.Arn\n"),
            serde_json::json!("${Role.Arn}")
        );
        assert_eq!(
            resolved("V: !Join [':', [a, !Ref P, c]]\n"),
            serde_json::json!("a:${P}:c")
        );
        assert_eq!(resolved("V: !Select [1, [a, b]]\n"), serde_json::json!("b"));
    }

    #[test]
    fn parameters_defaults_fill() {
        let t = "Parameters:\n  P:\n    Type: String\n    Default: oidc.eks.us-east-1.amazonaws.com/id/AB\nV:\n  k: !Sub '${P}:sub'\n  r: !Ref P\n  n: !Ref AWS::NoValue\n";
        assert_eq!(
            resolved(t),
            serde_json::json!({"k": "oidc.eks.us-east-1.amazonaws.com/id/AB:sub", "r": "oidc.eks.us-east-1.amazonaws.com/id/AB"})
        );
    }

    #[test]
    fn a_ref_to_an_oidc_provider_of_the_template_is_its_arn() {
        let t = "Resources:\n  P:\n    Type: AWS::IAM::OIDCProvider\n    Properties:\n      Url: https://oidc.eks.cn-north-1.amazonaws.com.cn/id/AB\n  Q:\n    Type: AWS::IAM::OIDCProvider\n    Properties:\n      Url: !Ref U\nV:\n  p: !Ref P\n  q: !Ref Q\n";
        let v = resolved(t);
        assert_eq!(
            v["p"],
            "arn:aws-cn:iam::${AWS::AccountId}:oidc-provider/oidc.eks.cn-north-1.amazonaws.com.cn/id/AB"
        );
        // A Url that is not literal: the reference stays a placeholder.
        assert_eq!(v["q"], "${Q}");
    }

    #[test]
    fn the_other_branch_of_an_if_is_said() {
        let root = parse_documents(
            "V: !If [Prod, {Effect: Allow}, {Effect: Deny}]\nW: !If [C, !Ref AWS::NoValue, x]\n",
            &Limits::default(),
        )
        .unwrap_or_default()
        .remove(0)
        .root;
        let r = Resolver::of_template(&root);
        let v = r
            .resolve(root.get("V").unwrap_or(&root))
            .map(|n| n.to_json());
        assert_eq!(v, Some(serde_json::json!({"Effect": "Allow"})));
        let skipped: Vec<_> = r.skipped().into_iter().map(|(s, c)| (s.line, c)).collect();
        assert_eq!(skipped, [(1, "Prod".to_string())]);
        let w = r
            .resolve(root.get("W").unwrap_or(&root))
            .map(|n| n.to_json());
        assert_eq!(w, Some(serde_json::json!("x")));
        assert!(r.skipped().is_empty(), "AWS::NoValue is nothing to check");
    }

    #[test]
    fn long_forms_in_json() {
        assert_eq!(
            resolved("{\"V\": {\"Fn::Sub\": [\"${X}:sub\", {\"X\": \"id\"}]}}"),
            serde_json::json!("id:sub")
        );
        assert_eq!(
            resolved("{\"V\": {\"Fn::If\": [\"C\", {\"Ref\": \"AWS::NoValue\"}, \"b\"]}}"),
            serde_json::json!("b")
        );
    }
}
