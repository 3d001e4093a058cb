"""Real AWS clients against `irsa-gen lab serve`, on 127.0.0.1 only.

For each seed scenario the lab serves the spec; for each case `irsa-gen lab
env` gives a pod's environment (EKS's injected env pointed at the lab) and
three clients run `get-caller-identity` through their own credential
providers: the AWS CLI (v1, from PyPI), boto3, and the AWS SDK for
JavaScript v3 (`@aws-sdk/client-sts`, default chain). The expectations are
written here, from STS's public error responses, not taken from irsa-gen.

    python tests/lab/clients.py IRSA_GEN_BINARY
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
CLI = Path(sys.argv.pop(1) if len(sys.argv) > 1 else ROOT / "target/debug/irsa-gen")
VENV = ROOT / ".venv/bin"

# (example, namespace, ServiceAccount, assumed-role ARN prefix, mode)
SCENARIOS = [
    ("s3-writer.yaml", "production", "s3-writer",
     "arn:aws:sts::123456789012:assumed-role/S3WriterRole/", "irsa"),
    ("kuberocketci-test-pod.yaml", "default", "irsa-test",
     "arn:aws:sts::111122223333:assumed-role/AWSIRSATestRole/", "irsa"),
    ("spice-ai.yaml", "default", "spiceai",
     "arn:aws:sts::123456789012:assumed-role/spice-ai-role/", "irsa"),
    ("pod-identity.yaml", "production", "s3-writer",
     "arn:aws:sts::123456789012:assumed-role/S3WriterPodIdentityRole/eks-my-cluster-", "pod"),
]

NOT_AUTHORIZED = ("AccessDenied", "Not authorized to perform sts:AssumeRoleWithWebIdentity")


def cases(ns, sa, base):
    """(name, extra `lab env` flags, IRSA expectation (code, message prefix),
    Pod Identity expectation (text of the agent's answer, its HTTP status))."""
    other_ns = "irsa-lab-other" if ns == "default" else "default"
    return [
        ("own", ["-n", ns, "--service-account", sa], None, None),
        ("neighbour", ["-n", ns, "--service-account", "default"], NOT_AUTHORIZED, ("ResourceNotFoundException", 404)),
        ("other namespace", ["-n", other_ns, "--service-account", sa], NOT_AUTHORIZED, ("ResourceNotFoundException", 404)),
        ("other audience", ["-n", ns, "--service-account", sa, "--audience", "other.example"],
         ("InvalidIdentityToken", "Incorrect token audience"), ("InvalidTokenException", 400)),
        ("expired", ["-n", ns, "--service-account", sa, "--expired"],
         ("ExpiredTokenException", "Token expired: current date/time "), ("token is expired", 400)),
        ("other issuer", ["-n", ns, "--service-account", sa, "--other-issuer"],
         ("InvalidIdentityToken", f"No OpenIDConnect provider found in your account for {base}/other-issuer"),
         ("InvalidTokenException", 400)),
    ]


def aws_cli(env):
    p = subprocess.run([str(VENV / "aws"), "sts", "get-caller-identity", "--output", "json"],
                       env=env, capture_output=True, text=True, timeout=120)
    if p.returncode == 0:
        return {"ok": True, "arn": json.loads(p.stdout)["Arn"]}
    m = re.search(r"An error occurred \((\w+)\) when calling the \w+ operation: (.*)", p.stderr)
    return {"ok": False, "code": m.group(1), "message": m.group(2).strip()} if m else \
        {"ok": False, "code": "", "message": p.stderr.strip()}


def one_line(cmd, env):
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120, cwd=HERE)
    lines = [l for l in p.stdout.splitlines() if l.startswith("{")]
    if not lines:
        return {"ok": False, "code": "", "message": f"no answer: {p.stdout} {p.stderr}"}
    return json.loads(lines[-1])


CLIENTS = {
    "aws-cli": aws_cli,
    "boto3": lambda env: one_line([str(VENV / "python"), str(HERE / "boto3_caller.py")], env),
    "js-sdk-v3": lambda env: one_line(["node", str(HERE / "js_caller.mjs")], env),
}


def strip_exception(code):
    # The JavaScript SDK names modelled errors by shape (InvalidIdentityTokenException).
    return code[: -len("Exception")] if code.endswith("Exception") and code != "ExpiredTokenException" else code


class Lab:
    """`irsa-gen lab serve` in a temporary state directory, stopped with SIGTERM."""

    def __init__(self, example):
        self.dir = tempfile.TemporaryDirectory()
        self.state = Path(self.dir.name) / "state"
        self.proc = subprocess.Popen(
            [str(CLI), "lab", "serve", "-f", str(ROOT / "examples" / example), "--port", "0", "--state", str(self.state)],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        line = self.proc.stdout.readline()
        m = re.match(r"irsa-gen lab listening on (http://127\.0\.0\.1:\d+)$", line.strip())
        if not m:
            self.stop()
            raise RuntimeError(f"lab did not start: {line}")
        self.base = m.group(1)
        for _ in range(100):
            if (self.state / "state.json").exists():
                break
            time.sleep(0.05)

    def env(self, flags):
        p = subprocess.run([str(CLI), "lab", "env", "--state", str(self.state), "--format", "json", *flags],
                           capture_output=True, text=True, check=True)
        doc = json.loads(p.stdout)
        home = Path(self.dir.name) / "home"
        home.mkdir(exist_ok=True)
        # A pod's environment: nothing of this machine's AWS or proxy settings.
        base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "LANG": "C.UTF-8"}
        return {**base, **doc["env"]}

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.dir.cleanup()


COUNTS = {"passed": 0, "failed": 0}


class RealClients(unittest.TestCase):
    def check(self, client, got, mode, arn_prefix, irsa_expect, pod_expect):
        if irsa_expect is None:
            self.assertTrue(got["ok"], got)
            self.assertTrue(got["arn"].startswith(arn_prefix), got)
        elif mode == "irsa":
            self.assertFalse(got["ok"], got)
            self.assertEqual(strip_exception(got["code"]), irsa_expect[0], got)
            self.assertTrue(got["message"].startswith(irsa_expect[1]), got)
        else:
            self.assertFalse(got["ok"], got)
            if client == "js-sdk-v3":
                # Its container provider reports only the agent's HTTP status.
                self.assertEqual(got["detail"], f"Server responded with status: {pod_expect[1]}", got)
            else:
                self.assertIn(f"Received non 200 response {pod_expect[1]}", got["message"], got)
                self.assertIn(pod_expect[0], got["message"], got)

    def test_seed_scenarios(self):
        for example, ns, sa, arn_prefix, mode in SCENARIOS:
            lab = Lab(example)
            try:
                for name, flags, irsa_expect, pod_expect in cases(ns, sa, lab.base):
                    env = lab.env(flags)
                    for client, call in CLIENTS.items():
                        with self.subTest(example=example, case=name, client=client):
                            got = call(env)
                            print(f"{example:28} {name:16} {client:10} {json.dumps(got)[:160]}", flush=True)
                            COUNTS["failed"] += 1
                            self.check(client, got, mode, arn_prefix, irsa_expect, pod_expect)
                            COUNTS["failed"] -= 1
                            COUNTS["passed"] += 1
            finally:
                lab.stop()
            self.assertEqual(lab.proc.returncode, 0, "the lab stops cleanly on SIGTERM")


if __name__ == "__main__":
    result = unittest.main(exit=False, verbosity=1).result
    print(f"lab clients: {COUNTS['passed']} passed, {COUNTS['failed']} failed")
    sys.exit(0 if result.wasSuccessful() else 1)
