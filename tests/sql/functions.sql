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
