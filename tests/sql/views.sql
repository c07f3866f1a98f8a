-- Views: CREATE [OR REPLACE] VIEW with column names, reading through them,
-- information_schema, DROP VIEW [IF EXISTS].
DROP TABLE IF EXISTS vt;
CREATE TABLE vt (a int PRIMARY KEY, b text);
INSERT INTO vt VALUES (1, 'x'), (2, 'y'), (3, 'z');
CREATE VIEW vv (aa, bb) AS SELECT a, b FROM vt WHERE a > 1;
SELECT * FROM vv ORDER BY aa;
SELECT bb FROM vv WHERE aa = 3;
CREATE VIEW vv AS SELECT 1;
CREATE OR REPLACE VIEW vv (aa, bb) AS SELECT a, b || '!' FROM vt WHERE a > 1;
SELECT v.aa, t.b FROM vv v JOIN vt t ON t.a = v.aa ORDER BY 1;
SELECT table_name, table_type FROM information_schema.tables WHERE table_name IN ('vt', 'vv') ORDER BY 1;
DROP VIEW vv;
DROP VIEW vv;
DROP VIEW IF EXISTS vv;
DROP TABLE vt;
-- primary-key columns in information_schema.key_column_usage
CREATE TABLE kcu_t (b int, a text, c int, PRIMARY KEY (a, b));
CREATE TABLE kcu_u (id bigint PRIMARY KEY, v text);
SELECT constraint_catalog, constraint_schema, constraint_name, table_catalog, table_schema, table_name, column_name, ordinal_position, position_in_unique_constraint FROM information_schema.key_column_usage WHERE table_name LIKE 'kcu%' ORDER BY table_name, ordinal_position;
SELECT c.column_name, c.data_type, (SELECT k.ordinal_position FROM information_schema.key_column_usage k WHERE k.table_schema = c.table_schema AND k.table_name = c.table_name AND k.column_name = c.column_name) AS pk_position FROM information_schema.columns c WHERE c.table_name = 'kcu_t' ORDER BY c.ordinal_position;
DROP TABLE kcu_t;
DROP TABLE kcu_u;
