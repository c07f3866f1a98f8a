-- String functions, GREATEST/LEAST, and the time functions' consistency.
SELECT substring('héllo' from 2 for 3), substr('abc', 0, 2), substring('abc', 2), position('l' in 'hello'), strpos('abc', 'z');
SELECT trim('  x  '), ltrim('xxaxx', 'x'), rtrim('xxaxx', 'x'), btrim('xyxax', 'xy');
SELECT replace('abcabc', 'bc', 'X'), concat('a', 1, NULL, 2.5), concat_ws('-', 'a', NULL, 'b');
SELECT left('hello', 2), right('hello', -2), left('hello', -1), right('hello', 9);
SELECT lpad('5', 3, '0'), rpad('ab', 5, 'xy'), lpad('hello', 2), rpad('x', 0);
SELECT split_part('a,b,c', ',', 2), split_part('a,b,c', ',', -1), split_part('a,b,c', ',', 7);
SELECT reverse('abc'), initcap('hello wORLD foo-bar'), octet_length('é'), char_length('é');
SELECT greatest(1, 5, 3), least('b', 'a', NULL), greatest(NULL::int, NULL);
SELECT length(gen_random_uuid()::text), now() = current_timestamp, current_date = now()::date, now() <= clock_timestamp();
SELECT substring('abc' from 2 for -1);
SELECT split_part('a,b', ',', 0);
-- mathematical functions: double precision forms and round(numeric)
SELECT sqrt(16), sqrt(2), exp(1), ln(10), log(100), log10(1000), power(2, 10), pow(2.0::float8, 0.5);
SELECT floor(-2.5::float8), ceil(2.1::float8), ceiling(-2.1::float8), trunc(-2.7::float8), sign(-3), sign(0), pi(), degrees(pi()), radians(180);
SELECT round(2.5), round(-2.5), round(2.567, 2), round(2.5::float8), round(3.5::float8), round(5), round(1.5e10::numeric, 0), round(NULL::numeric, 1);
SELECT round(avg(g), 2) FROM generate_series(1, 10) g;
SELECT sqrt(-1);
SELECT ln(0);
SELECT ln(-1);
SELECT power(0, -1);
SELECT power(-8::float8, 1.0::float8 / 3);
SELECT exp(1000);
SELECT exp(-1000);
SELECT sqrt('nan'::float8), sqrt('infinity'::float8), floor('-infinity'::float8);
