-- LIKE/ILIKE, WITH, aggregates with DISTINCT, FETCH FIRST, primary-key lookups.
DROP TABLE IF EXISTS words;
CREATE TABLE words (id int PRIMARY KEY, w text, grp int);
INSERT INTO words VALUES (1, 'apple', 1), (2, 'Apricot', 1), (3, 'banana', 2), (4, 'cherry', 2), (5, 'apple', 3);
SELECT w FROM words WHERE w LIKE 'a%' ORDER BY id;
SELECT w FROM words WHERE w ILIKE 'a%' ORDER BY id;
SELECT w FROM words WHERE w NOT LIKE '%an%' ORDER BY id;
SELECT w FROM words WHERE w LIKE '_pple' ORDER BY id;
SELECT 'a%b' LIKE 'a\%b', 'axb' LIKE 'a\%b', 'héllo' LIKE 'h_llo';
WITH g AS (SELECT grp, count(*) AS n FROM words GROUP BY grp) SELECT grp, n FROM g WHERE n > 1 ORDER BY grp;
WITH a AS (SELECT 1 AS x UNION ALL SELECT 2), b(y) AS (SELECT x * 10 FROM a) SELECT * FROM a, b WHERE y > x * 5 ORDER BY x, y;
SELECT count(DISTINCT w), count(w), count(DISTINCT grp) FROM words;
SELECT grp, count(DISTINCT w) FROM words GROUP BY grp ORDER BY grp;
SELECT w FROM words ORDER BY id FETCH FIRST 2 ROWS ONLY;
SELECT w FROM words WHERE id = 3;
SELECT w FROM words WHERE id = 99;
SELECT a.w, (SELECT b.w FROM words b WHERE b.id = a.id + 1) AS next FROM words a ORDER BY a.id;
UPDATE words SET w = 'date' WHERE id = 4;
DELETE FROM words WHERE id = 5;
SELECT * FROM words ORDER BY id;
DROP TABLE words;
-- VALUES, subqueries in FROM and WITH queries reading a column of the
-- enclosing query: evaluated again for every outer row
CREATE TABLE outer_t (f1 int PRIMARY KEY);
INSERT INTO outer_t VALUES (0), (123456), (-7);
SELECT (VALUES (f1)) FROM outer_t ORDER BY 1;
SELECT (SELECT x FROM (VALUES (f1)) v(x)) FROM outer_t ORDER BY 1;
SELECT (WITH cte(foo) AS (VALUES (f1)) VALUES ((SELECT foo FROM cte))) FROM outer_t ORDER BY 1;
SELECT (SELECT count(*) FROM (SELECT 1 FROM outer_t) s) FROM outer_t;
DROP TABLE outer_t;
-- primary-key lookups where the value's integer type differs from the key's
CREATE TABLE pk_int8 (id bigint PRIMARY KEY, v text);
CREATE TABLE pk_int2 (id smallint PRIMARY KEY, v text);
INSERT INTO pk_int8 VALUES (5, 'five'), (3000000000, 'big');
INSERT INTO pk_int2 VALUES (5, 'five'), (-32768, 'min');
SELECT * FROM pk_int8 WHERE id = 5;
SELECT * FROM pk_int8 WHERE id = 3000000000;
SELECT * FROM pk_int8 WHERE id = 5::smallint;
SELECT * FROM pk_int2 WHERE id = 5;
SELECT * FROM pk_int2 WHERE id = -32768;
SELECT * FROM pk_int2 WHERE id = 70000;
SELECT * FROM pk_int2 WHERE id = 5::bigint AND v = 'five';
DROP TABLE pk_int8;
DROP TABLE pk_int2;
