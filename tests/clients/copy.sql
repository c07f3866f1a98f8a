-- COPY FROM STDIN / TO STDOUT in text and CSV, through psql (the server's
-- COPY and psql's \copy).  Expected output: copy.out, from PostgreSQL 15.
-- CONTEXT lines are hidden: Borealis's errors do not carry them yet.
\set SHOW_CONTEXT never
create table copy_t (id int primary key, name text, score numeric(10,2), note varchar(20));
copy copy_t from stdin;
1	one	1.5	a\tb
2	two	\N	back\\slash
3	\N	3	
\.
copy copy_t (id, name) from stdin with (format csv, header);
id,name
4,"four, quoted"
5,"multi
line"
6,
7,""
\.
copy copy_t (id, note, score) from stdin with (format csv, delimiter ';', null 'NULL', quote '''');
8;'it''s';NULL
9;'a;b';2.5
\.
copy copy_t from stdin with (delimiter '|', null '');
10|\x41\101|10|
\.
copy copy_t to stdout;
copy copy_t to stdout with (format csv, header);
copy copy_t (id, note) to stdout with (format csv, delimiter '|', null 'NULL', quote '''');
copy (select id, name from copy_t where id > 3 order by id) to stdout with csv header;
copy (select name from copy_t where id in (6, 7) order by id) to stdout with csv;
copy copy_t (id) to stdout with (header);
-- errors
copy copy_t from stdin;
11	x
\.
copy copy_t from stdin;
12	a	1	n	extra
\.
copy copy_t from stdin;
abc	a	1	n
\.
copy copy_t from stdin with (format csv);
13,"unterminated
\.
copy copy_t from stdin;
1	dup	1	n
\.
copy copy_t from stdin;
14	ok	1	n
15	bad	x	n
\.
select count(*) from copy_t;
copy nope from stdin;
copy copy_t (nope) from stdin;
copy copy_t (id, id) from stdin;
copy copy_t from stdin with (format xml);
copy copy_t from stdin with (delimiter ',,');
copy copy_t from stdin with (quote '"');
copy copy_t from stdin with (format csv, delimiter ',', quote ',');
copy copy_t from stdin with (bogus 1);
-- psql's \copy, both ways
\copy copy_t (id, name) to 'COPYDIR/out.csv' with (format csv, header)
\! cat COPYDIR/out.csv
create table copy_u (id int primary key, name text);
\copy copy_u from 'COPYDIR/out.csv' with (format csv, header)
select * from copy_u order by id;
drop table copy_u;
drop table copy_t;
