-- Where SQL read from a schema (a view, a trigger) may read a virtual table: dbstat never
-- (SQLITE_VTAB_DIRECTONLY), the PRAGMA functions only while trusted_schema is on, json_each
-- always (innocuous); TEMP views and direct queries anything.
CREATE VIEW v1 AS SELECT count(*) FROM dbstat;
SELECT * FROM v1;
CREATE VIEW v3 AS SELECT * FROM json_each('[1]');
SELECT count(*) FROM v3;
CREATE VIEW v4 AS SELECT * FROM pragma_table_info('v3');
SELECT count(*) FROM v4;
CREATE VIEW v5 AS SELECT * FROM pragma_table_list;
SELECT count(*) > 0 FROM v5;
CREATE TABLE t(a);
CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO t SELECT count(*) FROM dbstat WHERE new.a = 0; END;
INSERT INTO t VALUES (1);
CREATE VIEW v6 AS SELECT 1 WHERE 1 IN pragma_table_list;
PRAGMA trusted_schema = 0;
SELECT count(*) FROM v4;
SELECT count(*) > 0 FROM v5;
SELECT count(*) FROM v3;
SELECT * FROM v1;
CREATE TEMP VIEW tv AS SELECT count(*) > 0 FROM dbstat;
SELECT * FROM tv;
SELECT count(*) > 0 FROM dbstat;
PRAGMA trusted_schema = 1;
SELECT count(*) FROM v4;
