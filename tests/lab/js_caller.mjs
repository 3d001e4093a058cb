// One `sts get-caller-identity` through the AWS SDK for JavaScript v3's
// default credential chain (web identity token file, or container
// credentials), configured only by the environment. Prints one JSON line.
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { fromHttp } from '@aws-sdk/credential-provider-http';

process.removeAllListeners('warning'); // the SDK's Node version notice is not an answer
try {
  const r = await new STSClient({}).send(new GetCallerIdentityCommand({}));
  console.log(JSON.stringify({ ok: true, arn: r.Arn }));
} catch (e) {
  // When the container provider fails the chain moves on and ends in "Could
  // not load credentials from any providers"; the provider's own error (what
  // a pod's debug log shows) is the detail.
  let detail = '';
  if (process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI) {
    detail = await fromHttp({})().then(() => '', (inner) => inner.message);
  }
  console.log(JSON.stringify({ ok: false, code: e.Code ?? e.name, message: e.message, detail }));
}
