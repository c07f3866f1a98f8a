-- The same schema and data on both servers; loads in transactions of at
-- most 3,000 rows (DSQL's limit).
CREATE TABLE bench_insert (id bigint PRIMARY KEY, v text);
CREATE TABLE bench_kv (id bigint PRIMARY KEY, v text);
INSERT INTO bench_kv SELECT g, 'value-' || g FROM generate_series(1, 2500) g;
INSERT INTO bench_kv SELECT g, 'value-' || g FROM generate_series(2501, 5000) g;
INSERT INTO bench_kv SELECT g, 'value-' || g FROM generate_series(5001, 7500) g;
INSERT INTO bench_kv SELECT g, 'value-' || g FROM generate_series(7501, 10000) g;
