-- ALTER TABLE in the forms DSQL supports: columns added and dropped without
-- rewriting rows, defaults, NOT NULL dropped, CHECK … NOT VALID, renames.
DROP TABLE IF EXISTS alt;
CREATE TABLE alt (id int PRIMARY KEY, a text NOT NULL, b int);
INSERT INTO alt VALUES (1, 'one', 10), (2, 'two', 20);
ALTER TABLE alt ADD COLUMN c text;
SELECT * FROM alt ORDER BY id;
INSERT INTO alt VALUES (3, 'three', 30, 'new');
ALTER TABLE alt DROP COLUMN b;
SELECT * FROM alt ORDER BY id;
ALTER TABLE alt ALTER COLUMN c SET DEFAULT 'dflt';
INSERT INTO alt (id, a) VALUES (4, 'four');
ALTER TABLE alt ALTER COLUMN a DROP NOT NULL;
INSERT INTO alt (id) VALUES (5);
ALTER TABLE alt ALTER COLUMN c DROP DEFAULT;
INSERT INTO alt (id, a) VALUES (6, 'six');
SELECT * FROM alt ORDER BY id;
ALTER TABLE alt ADD CONSTRAINT id_small CHECK (id < 100) NOT VALID;
INSERT INTO alt (id) VALUES (200);
ALTER TABLE alt DROP CONSTRAINT id_small;
INSERT INTO alt (id) VALUES (200);
ALTER TABLE alt RENAME COLUMN c TO note;
ALTER TABLE alt RENAME TO alt2;
SELECT id, note FROM alt2 WHERE id IN (3, 4) ORDER BY id;
SELECT * FROM alt;
ALTER TABLE alt2 DROP COLUMN missing;
ALTER TABLE alt2 DROP COLUMN IF EXISTS missing;
ALTER TABLE IF EXISTS nothing_here ADD COLUMN x int;
DROP TABLE alt2;
