// Drives `borealis mcp` with the official MCP TypeScript SDK client over
// stdio, the way an agent does, and prints a transcript that
// tests/e2e/mcp.sh compares with mcp_client.expected.  Three servers:
// documentation-only, database read-only, database with --allow-writes.
// Env: BOREALIS_BIN, BOREALIS_DATA, BOREALIS_PORT.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const bin = process.env.BOREALIS_BIN;
const db = ['--cluster_endpoint', `127.0.0.1:${process.env.BOREALIS_PORT}`,
  '--database_user', 'admin', '--region', 'local', '--data', process.env.BOREALIS_DATA];

async function open(label, args) {
  const transport = new StdioClientTransport({ command: bin, args: ['mcp', ...args], stderr: 'ignore' });
  const client = new Client({ name: 'borealis-test', version: '1.0.0' });
  await client.connect(transport);
  const info = client.getServerVersion();
  const tools = (await client.listTools()).tools;
  console.log(`== ${label}: ${info.name}; tools: ${tools.map((t) => t.name).join(', ')}`);
  for (const t of tools) {
    if (!t.description || t.inputSchema.type !== 'object') console.log(`   bad tool entry ${t.name}`);
  }
  return client;
}

// One line per call: rows (checking one text item per row), an object, or
// the error text.
async function call(client, name, args) {
  const label = `${name} ${JSON.stringify(args)}`;
  let res;
  try {
    res = await client.callTool({ name, arguments: args });
  } catch (e) {
    console.log(`${label} -> protocol error ${e.code}: ${e.message}`);
    return;
  }
  if (res.isError) {
    console.log(`${label} -> isError: ${res.content.map((c) => c.text).join(' | ')}`);
    return;
  }
  const sc = res.structuredContent;
  if (Array.isArray(sc.result)) {
    const texts = res.content.map((c) => JSON.stringify(JSON.parse(c.text)));
    if (texts.join() !== sc.result.map((r) => JSON.stringify(r)).join())
      console.log('   content does not match structuredContent');
    console.log(`${label} -> ${JSON.stringify(sc.result)}`);
  } else {
    if (res.content.length !== 1 || res.content[0].text !== JSON.stringify(sc, null, 2))
      console.log('   content does not match structuredContent');
    console.log(`${label} -> ${JSON.stringify(sc)}`);
  }
}

const q = (sql, params) => (params === undefined ? { sql } : { sql, params });

// Documentation-only mode: only dsql_lint; database tools refuse.
let c = await open('documentation-only', []);
await call(c, 'readonly_query', q('SELECT 1'));
await call(c, 'dsql_lint', { sql: 'CREATE TABLE t (id SERIAL PRIMARY KEY);', fix: true });
await call(c, 'dsql_lint', { sql: 'CREATE TABLE t (id SERIAL PRIMARY KEY);' });
await call(c, 'dsql_lint', { sql: 'BEGIN; CREATE TABLE a (x int); CREATE TABLE b (y int); COMMIT;' });
await call(c, 'dsql_lint', { sql: 'SELECT 1;' });
await call(c, 'dsql_lint', { sql: '  \n ' });
await call(c, 'nope', {});
await c.close();

// Read-only mode.
c = await open('read-only', db);
await call(c, 'readonly_query', q('SELECT id, name, price, tags FROM items ORDER BY id'));
await call(c, 'readonly_query', q('SELECT id, name FROM items WHERE name = $1 AND id > $2', ['pear', 0]));
await call(c, 'readonly_query', q('SELECT id FROM items WHERE name = $1', ["x' OR '1'='1"]));
await call(c, 'readonly_query', q("SELECT name, '%s' AS lit, 7 %% 4 AS m FROM items WHERE id = %s -- %s", [1]));
await call(c, 'readonly_query', q("SELECT 'INSERT; DROP TABLE items' AS s, true AS b, 1.5::float8 AS f"));
await call(c, 'readonly_query', q('SHOW transaction_isolation'));
await call(c, 'readonly_query', q('SELECT count(*) AS n FROM items;'));
await call(c, 'readonly_query', q("VALUES (1, 'a')"));
await call(c, 'readonly_query', q('SELECT id FROM items FOR SHARE'));
await call(c, 'readonly_query', q('PREPARE p AS SELECT 1'));
await call(c, 'readonly_query', q('LOCK TABLE items'));
await call(c, 'readonly_query', q('-- only a comment'));
await call(c, 'readonly_query', q(''));
await call(c, 'readonly_query', q("INSERT INTO items VALUES (9, 'x')"));
await call(c, 'readonly_query', q('SELECT * FROM items FOR UPDATE'));
await call(c, 'readonly_query', q('WITH d AS (DELETE FROM items RETURNING *) SELECT * FROM d'));
await call(c, 'readonly_query', q('SELECT * INTO copy_of_items FROM items'));
await call(c, 'readonly_query', q('SET search_path = evil'));
await call(c, 'readonly_query', q('BEGIN'));
await call(c, 'readonly_query', q('COMMIT'));
await call(c, 'readonly_query', q("SELECT set_config('search_path', 'evil', false)"));
await call(c, 'readonly_query', q('EXPLAIN ANALYZE DELETE FROM items'));
await call(c, 'readonly_query', q("INSERT INTO items VALUES (9, 'x'); SELECT pg_sleep(5)"));
await call(c, 'readonly_query', q('SELECT 1; SELECT 2'));
await call(c, 'readonly_query', q('SELECT pg_terminate_backend(1)'));
await call(c, 'readonly_query', q('SELECT pg_sleep(1)'));
await call(c, 'readonly_query', q('SELEC 1'));
await call(c, 'readonly_query', q('SELECT * FROM nosuch'));
await call(c, 'transact', { sql_list: ['SELECT count(*) AS n FROM items', 'SELECT max(id) AS m FROM items'] });
await call(c, 'transact', { sql_list: ["INSERT INTO items VALUES (9, 'x')"] });
await call(c, 'transact', { sql_list: [] });
await call(c, 'get_schema', { table_name: 'items' });
await call(c, 'get_schema', { table_name: 'public.ITEMS' });
await call(c, 'get_schema', { table_name: 'nosuch' });
await call(c, 'get_schema', { table_name: '' });
await c.close();

// Read-write mode.
c = await open('read-write', [...db, '--allow-writes']);
await call(c, 'transact', {
  sql_list: ['INSERT INTO items (id, name) VALUES ($1, $2)', 'SELECT count(*) AS n FROM items'],
  params_list: [[3, 'kiwi; DROP TABLE items'], null],
});
await call(c, 'transact', {
  sql_list: ["INSERT INTO items (id, name) VALUES (4, 'fig')", "INSERT INTO items (id, name) VALUES (1, 'dup')"],
});
await call(c, 'readonly_query', q('SELECT id, name FROM items ORDER BY id'));
await call(c, 'transact', { sql_list: ['SELECT 1', 'SELECT 2'], params_list: [null] });
await call(c, 'transact', { sql_list: [] });
await call(c, 'transact', { sql_list: ['COMMIT'] });
await call(c, 'transact', { sql_list: ["INSERT INTO items (id, name) VALUES (5, 'a'); DELETE FROM items"] });
await call(c, 'transact', { sql_list: ['SET row_security = off'] });
await call(c, 'transact', { sql_list: ['SELECT pg_terminate_backend(1)'] });
await call(c, 'transact', { sql_list: ['CREATE TABLE notes (id UUID PRIMARY KEY DEFAULT gen_random_uuid(), body TEXT NOT NULL)'] });
await call(c, 'get_schema', { table_name: 'notes' });
await call(c, 'transact', { sql_list: ["UPDATE items SET name = 'banana' WHERE id = $1", 'SELECT name FROM items WHERE id = 2'], params_list: [[2], []] });
await c.close();
