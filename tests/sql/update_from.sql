-- UPDATE … FROM and DELETE … USING.
DROP TABLE IF EXISTS uf_t;
DROP TABLE IF EXISTS uf_s;
CREATE TABLE uf_t (id int PRIMARY KEY, v int);
CREATE TABLE uf_s (id int PRIMARY KEY, delta int, flag text);
INSERT INTO uf_t VALUES (1, 10), (2, 20), (3, 30);
INSERT INTO uf_s VALUES (1, 5, 'x'), (3, 7, 'drop');
UPDATE uf_t SET v = uf_t.v + s.delta FROM uf_s s WHERE s.id = uf_t.id;
SELECT * FROM uf_t ORDER BY id;
UPDATE uf_t t SET v = 0 FROM uf_s s WHERE s.id = t.id AND s.flag = 'nothing';
DELETE FROM uf_t USING uf_s WHERE uf_s.id = uf_t.id AND uf_s.flag = 'drop';
SELECT * FROM uf_t ORDER BY id;
DROP TABLE uf_t;
DROP TABLE uf_s;
