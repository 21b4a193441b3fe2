-- SAVEPOINT, RELEASE and ROLLBACK TO: nesting, names, errors, and how they
-- meet BEGIN/COMMIT/ROLLBACK, failing statements and schema changes.
CREATE TABLE t(a);
-- A SAVEPOINT outside BEGIN starts a transaction; releasing it commits.
SAVEPOINT s1;
BEGIN;
INSERT INTO t VALUES (1);
SAVEPOINT s2;
INSERT INTO t VALUES (2);
ROLLBACK TO s2;
SELECT a FROM t ORDER BY a;
INSERT INTO t VALUES (3);
ROLLBACK TRANSACTION TO SAVEPOINT s2;
SELECT a FROM t ORDER BY a;
INSERT INTO t VALUES (4);
RELEASE s2;
SELECT a FROM t ORDER BY a;
RELEASE SAVEPOINT s1;
COMMIT;
SELECT a FROM t ORDER BY a;
-- Errors outside a transaction.
ROLLBACK;
RELEASE s1;
ROLLBACK TO s1;
RELEASE SAVEPOINT s1;
SAVEPOINT;
RELEASE;
ROLLBACK TO;
RELEASE savepoint;
SAVEPOINT 1;
-- Names: case-insensitive (ASCII only), dequoted, keywords allowed; the
-- newest of equal names is the one meant.
SAVEPOINT savepoint;
RELEASE "savepoint";
SAVEPOINT "a b";
RELEASE "A B";
SAVEPOINT 'str'; RELEASE str;
SAVEPOINT [br]; RELEASE `br`;
SAVEPOINT end; RELEASE END;
SAVEPOINT é;
RELEASE É;
RELEASE é;
SAVEPOINT x;
INSERT INTO t VALUES (5);
SAVEPOINT X;
INSERT INTO t VALUES (6);
RELEASE x;
ROLLBACK TO x;
SELECT a FROM t ORDER BY a;
RELEASE X;
SELECT a FROM t ORDER BY a;
-- ROLLBACK TO the savepoint that began the transaction keeps it open.
SAVEPOINT outer1;
DELETE FROM t;
ROLLBACK TO outer1;
BEGIN;
SELECT count(*) FROM t;
ROLLBACK TO outer1;
ROLLBACK TO outer1;
RELEASE outer1;
COMMIT;
-- RELEASE of the outermost savepoint inside BEGIN does not commit.
BEGIN;
SAVEPOINT b1;
INSERT INTO t VALUES (7);
RELEASE b1;
BEGIN;
ROLLBACK;
SELECT a FROM t ORDER BY a;
-- COMMIT and ROLLBACK end every savepoint.
SAVEPOINT c1; SAVEPOINT c2; INSERT INTO t VALUES (8); SAVEPOINT c3;
COMMIT;
RELEASE c1;
ROLLBACK TO c2;
SELECT a FROM t ORDER BY a;
SAVEPOINT r1; INSERT INTO t VALUES (9); SAVEPOINT r2; INSERT INTO t VALUES (10);
ROLLBACK;
RELEASE r1;
SELECT a FROM t ORDER BY a;
-- RELEASE drops every savepoint made after the one released.
SAVEPOINT d1; SAVEPOINT d2; SAVEPOINT d3; INSERT INTO t VALUES (11);
RELEASE d2;
ROLLBACK TO d3;
ROLLBACK TO d1;
SELECT a FROM t ORDER BY a;
RELEASE d1;
-- ROLLBACK TO drops the newer savepoints and keeps its own.
SAVEPOINT e1; INSERT INTO t VALUES (12); SAVEPOINT e2; INSERT INTO t VALUES (13); SAVEPOINT e3;
ROLLBACK TO e1;
RELEASE e2;
INSERT INTO t VALUES (14);
ROLLBACK TO e1;
INSERT INTO t VALUES (15);
RELEASE e1;
SELECT a FROM t ORDER BY a;
-- Savepoints made before the first write still roll it back.
SAVEPOINT f1; SELECT count(*) FROM t; SAVEPOINT f2;
UPDATE t SET a = a * 10;
ROLLBACK TO f2;
SELECT a FROM t ORDER BY a;
UPDATE t SET a = -a;
ROLLBACK TO f1;
SELECT a FROM t ORDER BY a;
RELEASE f1;
-- A failing statement inside savepoints undoes only itself.
CREATE TABLE u(k INTEGER PRIMARY KEY, v UNIQUE);
SAVEPOINT g1;
INSERT INTO u VALUES (1, 'a'), (2, 'b');
SAVEPOINT g2;
INSERT INTO u VALUES (3, 'c'), (4, 'a');
SELECT k, v FROM u ORDER BY k;
INSERT INTO u VALUES (5, 'e');
ROLLBACK TO g2;
SELECT k, v FROM u ORDER BY k;
UPDATE u SET v = 'b' WHERE k = 1;
RELEASE g1;
SELECT k, v FROM u ORDER BY k;
-- Schema changes inside a savepoint are rolled back too.
SAVEPOINT h1;
CREATE TABLE n1(a, b);
INSERT INTO n1 VALUES (1, 2);
CREATE INDEX n1a ON n1(a);
SAVEPOINT h2;
DROP TABLE t;
ALTER TABLE u ADD COLUMN w DEFAULT 'x';
SELECT * FROM u ORDER BY k;
ROLLBACK TO h2;
SELECT * FROM u ORDER BY k;
SELECT count(*) FROM t;
SELECT name FROM sqlite_schema ORDER BY name;
ROLLBACK TO h1;
SELECT name FROM sqlite_schema ORDER BY name;
SELECT * FROM n1;
CREATE TABLE n1(c);
INSERT INTO n1 VALUES (5);
SELECT * FROM n1;
RELEASE h1;
SELECT * FROM n1;
PRAGMA table_info(n1);
SAVEPOINT i1; DROP TABLE n1; CREATE TABLE n1(x, y, z); INSERT INTO n1 VALUES (7, 8, 9);
SELECT * FROM n1;
ROLLBACK;
SELECT * FROM n1;
PRAGMA integrity_check;
-- changes() and total_changes() are not reset by ROLLBACK TO.
SAVEPOINT j1; INSERT INTO t VALUES (20), (21);
ROLLBACK TO j1;
SELECT changes(), total_changes();
RELEASE j1;
SELECT a FROM t ORDER BY a;
-- Header fields and renames are undone too.
CREATE TABLE r(a, b);
INSERT INTO r VALUES (1, 2), (3, 4);
SAVEPOINT k1;
PRAGMA user_version = 7;
CREATE INDEX ra ON r(a);
ROLLBACK TO k1;
PRAGMA user_version;
PRAGMA index_list(r);
ALTER TABLE r RENAME TO r2;
SELECT * FROM r2;
ROLLBACK TO k1;
SELECT * FROM r;
SELECT * FROM r2;
ALTER TABLE r RENAME COLUMN a TO z;
SELECT z FROM r;
ROLLBACK TO k1;
SELECT a FROM r;
RELEASE k1;
-- Equal names: the newest is meant, the older one stays.
SAVEPOINT m;
INSERT INTO r VALUES (5, 6);
SAVEPOINT m;
INSERT INTO r VALUES (7, 8);
ROLLBACK TO m;
RELEASE m;
SELECT count(*) FROM r;
RELEASE m;
SELECT count(*) FROM r;
