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
