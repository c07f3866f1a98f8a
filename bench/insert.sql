\set id random(1, 9000000000000000000)
INSERT INTO bench_insert (id, v) VALUES (:id, 'payload-0123456789');
