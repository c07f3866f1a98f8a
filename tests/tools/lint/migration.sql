-- A PostgreSQL migration written without DSQL in mind.
SET statement_timeout = 0;
SET default_transaction_isolation = 'serializable';
CREATE EXTENSION IF NOT EXISTS pgcrypto;
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TEMP TABLE scratch (id int);
CREATE UNLOGGED TABLE logs (
    id bigserial PRIMARY KEY,
    tags text[],
    ip inet,
    m mood,
    name text COLLATE "en_US",
    price money DEFAULT 0
) WITH (fillfactor = 70) TABLESPACE fast;
CREATE TABLE events (id int GENERATED ALWAYS AS IDENTITY, at timestamptz) PARTITION BY RANGE (at);
CREATE TABLE e2 () INHERITS (events);
CREATE INDEX CONCURRENTLY ev_at ON events USING gin (at) WITH (fillfactor=50);
CREATE SEQUENCE s AS integer CACHE 20;
CREATE SEQUENCE s2;
ALTER TABLE logs ADD COLUMN flag boolean DEFAULT false;
ALTER TABLE logs ADD COLUMN n int NOT NULL;
ALTER TABLE logs ALTER COLUMN name TYPE varchar(20);
ALTER TABLE logs ADD CONSTRAINT pos CHECK (id > 0);
ALTER TABLE logs VALIDATE CONSTRAINT pos;
ALTER TABLE ASYNC logs VALIDATE CONSTRAINT pos;
BEGIN ISOLATION LEVEL SERIALIZABLE;
CREATE TABLE a (id int PRIMARY KEY);
CREATE TABLE b (id int PRIMARY KEY);
INSERT INTO a VALUES (1);
SAVEPOINT x;
COMMIT;
TRUNCATE logs;
VACUUM logs;
LISTEN ch;
SELECT pg_advisory_lock(1);
SELECT * FROM logs FOR SHARE;
CREATE FUNCTION f() RETURNS int AS $$ BEGIN RETURN 1; END $$ LANGUAGE plpgsql;
CREATE MATERIALIZED VIEW mv AS SELECT 1;
