// The control-plane API driven by the AWS SDK for JavaScript v3
// (@aws-sdk/client-dsql), pointed at a Borealis node with Borealis
// credentials.  Usage: node sdk_test.js ENDPOINT REGION KEY SECRET MODE [ID]
//   lifecycle  the whole cluster lifecycle and SigV4 refusals; prints ok/not ok lines
//   create     creates an unprotected cluster, waits for ACTIVE, prints its id
//   delete ID  deletes a cluster and waits until it is gone
const {
  DSQLClient, CreateClusterCommand, GetClusterCommand, ListClustersCommand,
  UpdateClusterCommand, DeleteClusterCommand, TagResourceCommand, UntagResourceCommand,
  ListTagsForResourceCommand, GetVpcEndpointServiceNameCommand, PutClusterPolicyCommand, GetClusterPolicyCommand,
  DeleteClusterPolicyCommand, waitUntilClusterActive, waitUntilClusterNotExists,
  paginateListClusters,
} = require("@aws-sdk/client-dsql");

const [endpoint, region, accessKeyId, secretAccessKey, mode, arg] = process.argv.slice(2);
const client = (key = accessKeyId, secret = secretAccessKey) =>
  new DSQLClient({ endpoint, region, credentials: { accessKeyId: key, secretAccessKey: secret } });
const dsql = client();
let failures = 0;
function check(name, cond, detail) {
  console.log(`${cond ? "ok" : "not ok"} - ${name}`);
  if (!cond) { failures++; if (detail !== undefined) console.log("  got: " + JSON.stringify(detail)); }
}
async function refusal(name, promise, type, status) {
  try { await promise; check(name, false, "no error"); }
  catch (e) { check(name, e.name === type && e.$metadata?.httpStatusCode === status,
                    { name: e.name, status: e.$metadata?.httpStatusCode, message: e.message }); return e; }
}
const waitCfg = { client: dsql, maxWaitTime: 60, minDelay: 1, maxDelay: 1 };

async function lifecycle() {
  const created = await dsql.send(new CreateClusterCommand({
    tags: { Name: "orders", env: "test" }, clientToken: "lifecycle-1" }));
  const id = created.identifier;
  check("create answers CREATING", created.status === "CREATING", created.status);
  check("create: deletion protection on by default", created.deletionProtectionEnabled === true);
  check("create: arn", /^arn:aws:dsql:[a-z0-9-]+:[0-9]{12}:cluster\/[a-z0-9]{26}$/.test(created.arn), created.arn);
  check("create: creationTime is a Date", created.creationTime instanceof Date);
  check("create: request id", /^[0-9a-f-]{36}$/.test(created.$metadata.requestId || ""), created.$metadata);
  check("create: endpoint", created.endpoint === `${id}.dsql.${region}.on.aws`, created.endpoint);
  const again = await dsql.send(new CreateClusterCommand({ clientToken: "lifecycle-1" }));
  check("create is idempotent by clientToken", again.identifier === id);
  await waitUntilClusterActive(waitCfg, { identifier: id });
  const got = await dsql.send(new GetClusterCommand({ identifier: id }));
  check("get: ACTIVE after the waiter", got.status === "ACTIVE", got.status);
  check("get: tags", JSON.stringify(got.tags) === '{"Name":"orders","env":"test"}', got.tags);
  check("get: encryptionDetails", got.encryptionDetails?.encryptionType === "AWS_OWNED_KMS_KEY");

  const vpc = await dsql.send(new GetVpcEndpointServiceNameCommand({ identifier: id }));
  check("vpc endpoint service name", /^com\.amazonaws\.[a-z0-9-]+\.dsql-[0-9a-f]{6}$/.test(vpc.serviceName), vpc.serviceName);

  const second = await dsql.send(new CreateClusterCommand({ deletionProtectionEnabled: false }));
  const pages = [];
  for await (const page of paginateListClusters({ client: dsql, pageSize: 1 }, {})) pages.push(page);
  const listed = pages.flatMap((p) => p.clusters.map((c) => c.identifier));
  check("list paginates one per page", pages.length >= 3 && pages.every((p) => p.clusters.length <= 1), pages.length);
  check("list has both new clusters", listed.includes(id) && listed.includes(second.identifier), listed);
  const all = await dsql.send(new ListClustersCommand({}));
  check("list without maxResults: no nextToken", all.nextToken === undefined && all.clusters.length === listed.length);
  await refusal("list maxResults 0 -> ValidationException",
                dsql.send(new ListClustersCommand({ maxResults: 0 })), "ValidationException", 400);

  await dsql.send(new TagResourceCommand({ resourceArn: created.arn, tags: { team: "data", env: "prod" } }));
  let tags = (await dsql.send(new ListTagsForResourceCommand({ resourceArn: created.arn }))).tags;
  check("tag resource", JSON.stringify(tags) === '{"Name":"orders","env":"prod","team":"data"}', tags);
  await dsql.send(new UntagResourceCommand({ resourceArn: created.arn, tagKeys: ["Name", "team"] }));
  tags = (await dsql.send(new ListTagsForResourceCommand({ resourceArn: created.arn }))).tags;
  check("untag resource", JSON.stringify(tags) === '{"env":"prod"}', tags);
  await refusal("tag an unknown ARN -> ResourceNotFoundException",
                dsql.send(new ListTagsForResourceCommand({
                  resourceArn: created.arn.replace(/cluster\/.*/, "cluster/" + "a".repeat(26)) })),
                "ResourceNotFoundException", 404);
  await refusal("bad tag key -> ValidationException",
                dsql.send(new TagResourceCommand({ resourceArn: created.arn, tags: { "bad*key": "v" } })),
                "ValidationException", 400);

  const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "dsql:DbConnect", Resource: "*" }] });
  const put = await dsql.send(new PutClusterPolicyCommand({ identifier: id, policy }));
  check("put policy answers version 1", put.policyVersion === "1", put);
  const gotPolicy = await dsql.send(new GetClusterPolicyCommand({ identifier: id }));
  check("get policy", gotPolicy.policyVersion === "1" && JSON.parse(gotPolicy.policy).Statement[0].Action === "dsql:DbConnect", gotPolicy);
  await refusal("put policy with a stale expected version -> ConflictException",
                dsql.send(new PutClusterPolicyCommand({ identifier: id, policy, expectedPolicyVersion: "7" })),
                "ConflictException", 409);
  await refusal("put a policy that is not JSON -> ValidationException",
                dsql.send(new PutClusterPolicyCommand({ identifier: id, policy: "{nope" })), "ValidationException", 400);
  const delPolicy = await dsql.send(new DeleteClusterPolicyCommand({ identifier: id, expectedPolicyVersion: "1" }));
  check("delete policy bumps the version", delPolicy.policyVersion === "2", delPolicy);
  await refusal("get a deleted policy -> ResourceNotFoundException",
                dsql.send(new GetClusterPolicyCommand({ identifier: id })), "ResourceNotFoundException", 404);

  const e = await refusal("delete refused while protected",
                          dsql.send(new DeleteClusterCommand({ identifier: id })), "ValidationException", 400);
  check("refusal reason deletionProtectionEnabled", e?.reason === "deletionProtectionEnabled", e?.reason);
  const upd = await dsql.send(new UpdateClusterCommand({ identifier: id, deletionProtectionEnabled: false }));
  check("update answers identifier/arn/status", upd.identifier === id && upd.arn === created.arn && upd.status === "UPDATING", upd);
  const after = await dsql.send(new GetClusterCommand({ identifier: id }));
  check("update: protection now off", after.deletionProtectionEnabled === false && after.status === "ACTIVE");
  const del = await dsql.send(new DeleteClusterCommand({ identifier: id }));
  check("delete answers DELETING", del.status === "DELETING", del.status);
  await waitUntilClusterNotExists(waitCfg, { identifier: id });
  await refusal("get after delete -> ResourceNotFoundException",
                dsql.send(new GetClusterCommand({ identifier: id })), "ResourceNotFoundException", 404);
  await dsql.send(new DeleteClusterCommand({ identifier: second.identifier }));
  await waitUntilClusterNotExists(waitCfg, { identifier: second.identifier });
  await refusal("get malformed id -> ValidationException",
                dsql.send(new GetClusterCommand({ identifier: "NOT-AN-ID" })), "ValidationException", 400);

  await refusal("wrong secret -> InvalidSignatureException",
                client(accessKeyId, secretAccessKey + "x").send(new ListClustersCommand({})),
                "InvalidSignatureException", 403);
  await refusal("unknown key -> UnrecognizedClientException",
                client("AKIAUNKNOWNUNKNOWN00", secretAccessKey).send(new ListClustersCommand({})),
                "UnrecognizedClientException", 403);
  const other = new DSQLClient({ endpoint, region: "us-east-1", credentials: { accessKeyId, secretAccessKey } });
  await refusal("wrong region in the scope -> InvalidSignatureException",
                other.send(new ListClustersCommand({})), "InvalidSignatureException", 403);
}

async function main() {
  if (mode === "lifecycle") await lifecycle();
  else if (mode === "create") {
    const c = await dsql.send(new CreateClusterCommand({ deletionProtectionEnabled: false }));
    await waitUntilClusterActive(waitCfg, { identifier: c.identifier });
    console.log(c.identifier);
  } else if (mode === "delete") {
    await dsql.send(new DeleteClusterCommand({ identifier: arg }));
    await waitUntilClusterNotExists(waitCfg, { identifier: arg });
    console.log("deleted");
  }
  process.exit(failures ? 1 : 0);
}
main().catch((e) => { console.log(`not ok - unexpected ${e.name}: ${e.message}`); process.exit(1); });
