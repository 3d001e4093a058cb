"""One `sts get-caller-identity` through boto3's default credential chain
(web identity token file, or container credentials), configured only by the
environment. Prints one JSON line."""
import json

import boto3
import botocore.exceptions

try:
    arn = boto3.client("sts").get_caller_identity()["Arn"]
    print(json.dumps({"ok": True, "arn": arn}))
except botocore.exceptions.ClientError as e:
    err = e.response.get("Error", {})
    print(json.dumps({"ok": False, "code": err.get("Code", ""), "message": err.get("Message", "")}))
except botocore.exceptions.BotoCoreError as e:
    print(json.dumps({"ok": False, "code": type(e).__name__, "message": str(e)}))
