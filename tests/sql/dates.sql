-- extract, date_part and date_trunc over date, timestamp and timestamptz.
SELECT extract(year from date '2024-03-15'), extract(month from timestamp '2024-03-15 10:20:30.5'), extract(second from timestamp '2024-03-15 10:20:30.5');
SELECT extract(dow from date '2024-03-15'), extract(isodow from date '2024-03-17'), extract(doy from date '2024-03-15'), extract(quarter from date '2024-08-01');
SELECT extract(epoch from timestamptz '2024-03-15 10:20:30.5+00'), extract(epoch from date '2024-01-01'), extract(century from date '2001-01-01'), extract(decade from date '2024-05-05');
SELECT date_part('hour', timestamp '2024-03-15 10:20:30'), date_part('minute', timestamptz '2024-03-15 10:20:30+00'), extract(millisecond from timestamp '2024-03-15 10:20:30.1234');
SELECT date_trunc('month', timestamp '2024-03-15 10:20:30'), date_trunc('hour', timestamptz '2024-03-15 10:20:30+00'), date_trunc('week', timestamp '2024-03-15 10:20:30');
SELECT date_trunc('year', timestamp '2024-03-15 10:20:30'), date_trunc('quarter', timestamp '2024-11-15 10:20:30'), date_trunc('day', timestamp '2024-03-15 23:59:59');
SELECT extract(hour from date '2024-03-15');
