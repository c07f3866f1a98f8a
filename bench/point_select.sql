\set id random(1, 10000)
SELECT id, v FROM bench_kv WHERE id = :id;
