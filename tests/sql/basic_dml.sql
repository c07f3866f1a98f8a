-- The thin SQL slice: tables, INSERT, SELECT with WHERE/ORDER BY/LIMIT,
-- aggregates, UPDATE, DELETE, generate_series, and the common errors.
DROP TABLE IF EXISTS items;
CREATE TABLE items (id integer PRIMARY KEY, name text NOT NULL, price numeric(10,2), qty bigint);
INSERT INTO items VALUES (1, 'apple', 1.50, 10), (2, 'banana', 0.25, 100), (3, 'cherry', 12, NULL);
INSERT INTO items (id, name) VALUES (4, 'date');
SELECT * FROM items ORDER BY id;
SELECT name, price FROM items WHERE price > 1 ORDER BY price DESC;
SELECT id FROM items WHERE qty IS NULL ORDER BY 1;
SELECT count(*), count(qty), sum(qty), min(name), max(price) FROM items;
SELECT id, name FROM items ORDER BY name DESC LIMIT 2;
SELECT id FROM items ORDER BY id LIMIT 2 OFFSET 1;
SELECT id, qty * 2 AS double_qty FROM items WHERE id IN (1, 2) ORDER BY id;
SELECT id FROM items WHERE id BETWEEN 2 AND 3 AND name <> 'banana';
UPDATE items SET qty = qty + 1 WHERE id <= 2;
SELECT id, qty FROM items ORDER BY id;
UPDATE items SET price = 2 WHERE name = 'nothing';
DELETE FROM items WHERE id = 4;
SELECT count(*) FROM items;
-- errors
INSERT INTO items VALUES (1, 'again', 1, 1);
INSERT INTO items (id) VALUES (9);
SELECT missing_column FROM items;
SELECT * FROM missing;
INSERT INTO items VALUES (10, 'x', 'abc', 1);
SELECT id, count(*) FROM items;
-- generate_series and no-FROM selects
SELECT * FROM generate_series(1, 5);
SELECT g FROM generate_series(10, 1, -3) AS g;
SELECT * FROM generate_series(1.5, 3.5, 0.5);
SELECT * FROM generate_series(0::numeric, 'nan'::numeric, 10::numeric);
SELECT * FROM generate_series('-inf'::numeric, 1::numeric);
SELECT * FROM generate_series(1::numeric, 5::numeric, 'nan');
SELECT * FROM generate_series(1::numeric, 5::numeric, 'infinity');
SELECT * FROM generate_series(1, 5, 0);
-- generate_series reading earlier FROM items (implicitly LATERAL)
SELECT * FROM generate_series(1::numeric, 3::numeric) i, generate_series(i, 3) j;
SELECT * FROM generate_series(1, 3) a, generate_series(a, a + 1) b, generate_series(1, 2) c WHERE c = b - a ORDER BY 1, 2, 3;
SELECT count(*) FROM generate_series(1, 10) x, generate_series(1, x) y;
SELECT sum(g), avg(g) FROM generate_series(1, 100) g;
INSERT INTO items SELECT g, 'gen' || g, g, g FROM generate_series(20, 24) g;
SELECT count(*), sum(qty) FROM items WHERE name >= 'gen' AND id >= 20;
DROP TABLE items;
DROP TABLE items;
