-- DEFAULT, CHECK, RETURNING and ON CONFLICT.
DROP TABLE IF EXISTS acct;
CREATE TABLE acct (id int PRIMARY KEY, balance int DEFAULT 10 CHECK (balance >= 0), note text DEFAULT 'new', CHECK (balance < 1000));
INSERT INTO acct (id) VALUES (1) RETURNING *;
INSERT INTO acct VALUES (2, 50) RETURNING id, balance * 2 AS doubled;
INSERT INTO acct VALUES (3, -5);
INSERT INTO acct VALUES (3, 5000);
INSERT INTO acct VALUES (1, 1) ON CONFLICT DO NOTHING;
INSERT INTO acct VALUES (1, 1), (4, 4) ON CONFLICT (id) DO UPDATE SET balance = acct.balance + excluded.balance RETURNING id, balance;
INSERT INTO acct VALUES (1, 1) ON CONFLICT (id) DO UPDATE SET balance = 99 WHERE acct.balance > 500;
INSERT INTO acct VALUES (5, 5), (5, 6) ON CONFLICT (id) DO UPDATE SET balance = excluded.balance;
UPDATE acct SET balance = balance - 100 WHERE id = 2;
UPDATE acct SET note = 'touched' WHERE id <= 2 RETURNING id, note;
DELETE FROM acct WHERE id = 4 RETURNING *;
INSERT INTO acct (id, balance) VALUES (6, DEFAULT);
SELECT * FROM acct ORDER BY id;
DROP TABLE acct;
