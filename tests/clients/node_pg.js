// node-postgres against a server: simple queries, parameterised queries,
// named prepared statements, binary results, pg-cursor (Execute with row
// limits and PortalSuspended), pg-copy-streams both ways, errors.  Prints a
// transcript; tests/e2e/protocol_clients.sh compares it with PostgreSQL 15's
// (node_pg.expected).  Connection from PG* environment variables.
const { Client } = require('pg');
const Cursor = require('pg-cursor');
const { from: copyFrom, to: copyTo } = require('pg-copy-streams');
const { pipeline } = require('stream/promises');
const { Readable, Writable } = require('stream');

function show(label, res) {
  console.log(label, JSON.stringify({ command: res.command, rowCount: res.rowCount, rows: res.rows,
    fields: res.fields.map((f) => [f.name, f.dataTypeID, f.format]) }));
}
async function showError(label, p) {
  try { await p; console.log(label, 'no error'); } catch (e) {
    console.log(label, 'error', e.code, e.message, e.detail || '', e.position || '');
  }
}

async function main() {
  const ssl = process.env.PGSSLMODE === 'require' ? { rejectUnauthorized: false } : false;
  const c = new Client({ ssl });
  await c.connect();
  show('simple', await c.query("select 1 as one, 'a' as two, null as three"));
  await c.query('create table node_t (id int primary key, name text, score numeric(10,2), ok bool)');
  show('insert params', await c.query('insert into node_t values ($1, $2, $3, $4), ($5, $6, $7, $8)',
    [1, 'one', '1.5', true, 2, null, 2, false]));
  for (let i = 3; i <= 7; i++) {
    await c.query({ name: 'ins', text: 'insert into node_t (id, name) values ($1, $2)', values: [i, 'n' + i] });
  }
  show('prepared select', await c.query({ name: 'sel', text: 'select id, name, score, ok from node_t where id <= $1 order by id', values: [3] }));
  show('prepared again', await c.query({ name: 'sel', text: 'select id, name, score, ok from node_t where id <= $1 order by id', values: [1] }));
  show('binary', await c.query({ text: 'select id, score, ok, name from node_t where id = $1', values: [1], binary: true }));
  show('array mode', await c.query({ text: 'select id, name from node_t where id > $1 order by id', values: [5], rowMode: 'array' }));
  await showError('bad param', c.query('select * from node_t where id = $1', ['x']));
  await showError('syntax', c.query('select from where'));
  await showError('dup key', c.query('insert into node_t (id) values ($1)', [1]));
  show('after errors', await c.query('select count(*)::int as n from node_t'));

  const cursor = c.query(new Cursor('select id, name from node_t where id > $1 order by id', [0]));
  for (;;) {
    const rows = await cursor.read(3);
    console.log('cursor batch', JSON.stringify(rows));
    if (rows.length === 0) break;
  }
  await cursor.close();

  const input = Readable.from(['8\teight\t8.5\tt\n', '9\t\\N\t\\N\tf\n', '10\tten\t10\t\\N\n']);
  const inStream = c.query(copyFrom('copy node_t from stdin'));
  await pipeline(input, inStream);
  console.log('copy from', inStream.rowCount);
  let out = '';
  const outStream = c.query(copyTo('copy (select * from node_t order by id) to stdout with (format csv, header)'));
  await pipeline(outStream, new Writable({ write(chunk, enc, cb) { out += chunk; cb(); } }));
  console.log('copy to\n' + out.trimEnd());

  await c.query('begin');
  await c.query('insert into node_t (id) values ($1)', [11]);
  await showError('in block', c.query('select 1/0'));
  await showError('failed block', c.query('select 1'));
  show('rollback', await c.query('rollback'));
  show('count', await c.query('select count(*)::int as n from node_t'));
  await c.query('drop table node_t');
  await c.end();
}
main().catch((e) => { console.log('fatal', e.code, e.message); process.exit(1); });
