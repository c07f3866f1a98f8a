// Tokens made by @aws-sdk/dsql-signer with Borealis credentials, used by
// node-postgres to log in: admin with getDbConnectAdminAuthToken, a mapped
// role with getDbConnectAuthToken; then the refusals DSQL gives for the
// wrong action and for a token signed for another host.
// Usage: node signer.mjs PORT ADMIN_KEY ADMIN_SECRET USER_KEY USER_SECRET
import { DsqlSigner } from "@aws-sdk/dsql-signer";
import pg from "pg";

const [port, adminKey, adminSecret, userKey, userSecret] = process.argv.slice(2);
const signer = (hostname, accessKeyId, secretAccessKey) =>
  new DsqlSigner({ hostname, region: "local", credentials: { accessKeyId, secretAccessKey } });

async function login(label, user, token) {
  const client = new pg.Client({
    host: "127.0.0.1", port: Number(port), user, database: "postgres", password: token,
    ssl: { rejectUnauthorized: false },
  });
  try {
    await client.connect();
    const r = await client.query("SELECT current_user AS u");
    console.log(`${label}: connected as ${r.rows[0].u}`);
  } catch (e) {
    console.log(`${label}: ${e.code} ${e.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}

const admin = signer("127.0.0.1", adminKey, adminSecret);
const user = signer("127.0.0.1", userKey, userSecret);
await login("admin token", "admin", await admin.getDbConnectAdminAuthToken());
await login("role token", "app", await user.getDbConnectAuthToken());
await login("DbConnect token for admin", "admin", await admin.getDbConnectAuthToken());
await login("admin token for another host", "admin",
  await signer("other.dsql.local.on.aws", adminKey, adminSecret).getDbConnectAdminAuthToken());
await login("role token, wrong secret", "app",
  await signer("127.0.0.1", userKey, "x".repeat(40)).getDbConnectAuthToken());
