// postgres.js (the "postgres" npm package) against Borealis or PostgreSQL:
// its startup reads pg_catalog.pg_type for array types, then extended-
// protocol queries with parameters.  Prints a transcript compared with the
// one PostgreSQL 15 gives (postgresjs.expected).  Connection from PG* env.
const postgres = require('postgres');

async function main() {
  const sql = postgres({
    host: process.env.PGHOST, port: Number(process.env.PGPORT), user: process.env.PGUSER,
    database: process.env.PGDATABASE, password: process.env.PGPASSWORD || undefined,
    ssl: process.env.PGSSLMODE === 'require' ? { rejectUnauthorized: false } : false,
    onnotice: () => {},
  });
  try {
    await sql`DROP TABLE IF EXISTS pjs`;
    await sql`CREATE TABLE pjs (id int PRIMARY KEY, name text, qty bigint)`;
    const ins = await sql`INSERT INTO pjs VALUES (${1}, ${'one'}, ${10}), (${2}, ${'two'}, NULL) RETURNING id`;
    console.log('insert', JSON.stringify(ins));
    const rows = await sql`SELECT id, name, qty, ${5}::int + id AS six FROM pjs WHERE id >= ${1} ORDER BY id`;
    console.log('select', JSON.stringify(rows));
    const agg = await sql`SELECT count(*)::int AS n, sum(qty)::int AS total FROM pjs`;
    console.log('aggregate', JSON.stringify(agg));
    try {
      await sql`INSERT INTO pjs VALUES (${1}, ${'dup'}, ${0})`;
    } catch (e) {
      console.log('error', e.code, e.message);
    }
    await sql`DROP TABLE pjs`;
  } finally {
    await sql.end();
  }
}
main().catch((e) => { console.log('failed', e.message); process.exit(1); });
