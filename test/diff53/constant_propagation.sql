-- Constant propagation (SQLite 3.53's, plan/where.c propagate_constants): "y = 7" fixes y, so that "x = y" compares
-- x with 7 and may seek an index on x, as long as the rewritten comparison gives the same result on every row:
-- the affinity of x and y and the collation decide.  The rows, against each kind of column, and the plans.
CREATE TABLE t(x, y, z);
CREATE INDEX tx ON t(x);
CREATE TABLE a(i INTEGER, n NUMERIC, r REAL, s TEXT, b BLOB, v, c TEXT COLLATE NOCASE);
CREATE INDEX ai ON a(i);
CREATE INDEX an ON a(n);
CREATE INDEX ar ON a(r);
CREATE INDEX as_ ON a(s);
CREATE INDEX ab ON a(b);
CREATE INDEX av ON a(v);
CREATE INDEX ac ON a(c);
INSERT INTO t VALUES (7, 7, 'i'), (7, '7', 't'), ('7', 7, 's'), (7.0, 7, 'r'), (8, 7, 'o'), (NULL, 7, 'n'), (7, NULL, 'm'),
  (7, 7.0, 'q'), ('7.0', 7, 'p'), (x'37', 7, 'b'), (7, x'37', 'B');
INSERT INTO a VALUES (7, 7, 7, '7', 7, 7, 'x'), (7, '7', 7.0, '07', '7', '7', 'X'), (8, 8, 8, '7.0', 7.0, 7.0, 'x'),
  (NULL, NULL, NULL, NULL, NULL, NULL, NULL), (7, 7, 7.5, '7', x'37', '7.0', 'Y'), (123, 123, 123, '0123', 123, '123', 'abc'),
  (7, 7, 7, 'x', 'x', 'x', 'X'), (7, 7, 7, 'X', 'X', 'X', 'x');
-- The brief's case: x = 7 seeks tx.
EXPLAIN QUERY PLAN SELECT * FROM t WHERE y = x AND y = 7;
SELECT z FROM t WHERE y = x AND y = 7 ORDER BY z;
EXPLAIN QUERY PLAN SELECT * FROM t WHERE x = y AND y = 7;
SELECT z FROM t WHERE x = y AND y = 7 ORDER BY z;
SELECT z FROM t WHERE x = y AND y = '7' ORDER BY z;
SELECT z FROM t WHERE x = y AND y = 7.0 ORDER BY z;
SELECT z FROM t WHERE x = y AND y = x'37' ORDER BY z;
SELECT z FROM t WHERE x > y AND y = 7 ORDER BY z;
SELECT z FROM t WHERE x <= y AND y = 7 ORDER BY z;
SELECT z FROM t WHERE x IS y AND y = 7 ORDER BY z;
SELECT z FROM t WHERE x IS NOT y AND y = 7 ORDER BY z;
SELECT z FROM t WHERE x <> y AND y = 7 ORDER BY z;
-- Two constants for one column: no row, whichever fixes it.
EXPLAIN QUERY PLAN SELECT * FROM t WHERE y = 7 AND y = 8 AND x = y;
SELECT z FROM t WHERE y = 7 AND y = 8 AND x = y;
SELECT z FROM t WHERE y = 7 AND x = y AND y = 7.0 ORDER BY z;
SELECT z FROM t WHERE y = 7 AND x = y AND y = '7' ORDER BY z;
-- Each affinity of the fixed column against each affinity of the indexed one.
EXPLAIN QUERY PLAN SELECT * FROM a WHERE i = s AND s = 7;
SELECT rowid FROM a WHERE i = s AND s = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE i = s AND s = '7' ORDER BY rowid;
SELECT rowid FROM a WHERE i = s AND s = '07' ORDER BY rowid;
SELECT rowid FROM a WHERE i = s AND s = 7.0 ORDER BY rowid;
SELECT rowid FROM a WHERE n = s AND s = '0123' ORDER BY rowid;
SELECT rowid FROM a WHERE n = s AND s = 123 ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE s = i AND i = 7;
SELECT rowid FROM a WHERE s = i AND i = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE s = n AND n = 123 ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE s = b AND b = 7;
SELECT rowid FROM a WHERE s = b AND b = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE b = s AND b = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE s = b AND b = 7.0 ORDER BY rowid;
SELECT rowid FROM a WHERE s = v AND v = 7 ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE i = b AND b = 7;
SELECT rowid FROM a WHERE i = b AND b = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE i = b AND b = '7' ORDER BY rowid;
SELECT rowid FROM a WHERE r = v AND v = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE r = v AND v = '7.0' ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE v = b AND b = 7;
SELECT rowid FROM a WHERE v = b AND b = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE v = b AND b = 7.0 ORDER BY rowid;
SELECT rowid FROM a WHERE v = b AND b = 'x' ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE b = s AND s = '7';
SELECT rowid FROM a WHERE b = s AND s = '7' ORDER BY rowid;
SELECT rowid FROM a WHERE b = s AND s = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE v = s AND s = '7' ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE n = i AND i = 7;
SELECT rowid FROM a WHERE n = i AND i = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE r = i AND i = '7' ORDER BY rowid;
SELECT rowid FROM a WHERE i = r AND r = 7.5 ORDER BY rowid;
SELECT rowid FROM a WHERE b = i AND i = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE v = i AND i = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE s = i + 0 AND i = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE i + 0 = s AND s = '7' ORDER BY rowid;
SELECT rowid FROM a WHERE 7 = s AND s = 7 ORDER BY rowid;
SELECT rowid FROM a WHERE '7' = i AND i = 7 ORDER BY rowid;
-- Collations: a NOCASE column fixed by "c = 'x'" (not BINARY) fixes nothing; "c = 'x' COLLATE BINARY" does, and the
-- comparison keeps its own collation.
EXPLAIN QUERY PLAN SELECT * FROM a WHERE s = c AND c = 'x';
SELECT rowid FROM a WHERE s = c AND c = 'x' ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE s = c AND c = 'x' COLLATE BINARY;
SELECT rowid FROM a WHERE s = c AND c = 'x' COLLATE BINARY ORDER BY rowid;
SELECT rowid FROM a WHERE c = s AND c = 'x' COLLATE BINARY ORDER BY rowid;
SELECT rowid FROM a WHERE c = s AND s = 'x' ORDER BY rowid;
EXPLAIN QUERY PLAN SELECT * FROM a WHERE c = s AND s = 'x';
SELECT rowid FROM a WHERE s = v COLLATE NOCASE AND v = 'x' ORDER BY rowid;
SELECT rowid FROM a WHERE s COLLATE NOCASE = v AND v = 'x' ORDER BY rowid;
-- Parameters and signed literals.
SELECT rowid FROM a WHERE i = s AND s = -7 ORDER BY rowid;
SELECT rowid FROM a WHERE n = v AND v = ?1 ORDER BY rowid; -- params: [7]
SELECT rowid FROM a WHERE s = v AND v = ?1 ORDER BY rowid; -- params: ["7"]
SELECT rowid FROM a WHERE i = s AND s = ?1 ORDER BY rowid; -- params: [7.0]
-- Joins: the constant narrows the other table; a LEFT JOIN's ON terms neither fix nor are rewritten.
CREATE TABLE u(k INTEGER, w TEXT);
CREATE INDEX uk ON u(k);
INSERT INTO u VALUES (7, 'seven'), (8, 'eight'), (NULL, 'null'), (7, 'again');
EXPLAIN QUERY PLAN SELECT * FROM a, u WHERE u.k = a.i AND a.i = 7;
SELECT a.rowid, u.w FROM a, u WHERE u.k = a.i AND a.i = 7 ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a JOIN u ON u.k = a.s WHERE a.s = '7' ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a JOIN u ON u.k = a.i AND a.i = 8 ORDER BY 1, 2;
EXPLAIN QUERY PLAN SELECT * FROM a LEFT JOIN u ON u.k = a.i AND a.i = 7;
SELECT a.rowid, u.w FROM a LEFT JOIN u ON u.k = a.i AND a.i = 7 ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a LEFT JOIN u ON u.k = a.i WHERE a.i = 7 ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a LEFT JOIN u ON u.k = a.i AND u.k = 8 ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a LEFT JOIN u ON u.k = 7 WHERE u.k IS a.i ORDER BY 1, 2;
SELECT a.rowid, u.w FROM a LEFT JOIN u ON a.i = u.k WHERE u.k = 7 OR u.k IS NULL ORDER BY 1, 2;
SELECT a.rowid, u.w FROM u RIGHT JOIN a ON u.k = a.i AND a.i = 7 ORDER BY 1, 2;
SELECT a.rowid, u.w FROM u RIGHT JOIN a ON u.k = a.i WHERE a.i = 7 ORDER BY 1, 2;
SELECT a.rowid FROM a WHERE a.i = 7 AND EXISTS (SELECT 1 FROM u WHERE u.k = a.i) ORDER BY 1;
SELECT a.rowid FROM a WHERE EXISTS (SELECT 1 FROM u WHERE u.k = a.i AND u.k = 8) ORDER BY 1;
-- Propagation makes equalities on two columns of one index: SQLite's default estimates leave fewer rows for more
-- columns, so the two-column index serves.
CREATE TABLE m(p INT, q TEXT, r);
CREATE INDEX mp ON m(p);
CREATE INDEX mpq ON m(p, q);
INSERT INTO m VALUES (7, '7', 1), (7, '8', 2), (8, '7', 3), (7, 7, 4);
EXPLAIN QUERY PLAN SELECT * FROM m WHERE p = 7 AND q = '7';
EXPLAIN QUERY PLAN SELECT * FROM m WHERE p = q AND q = 7;
SELECT r FROM m WHERE p = q AND q = 7 ORDER BY r;
EXPLAIN QUERY PLAN SELECT * FROM m WHERE q = p AND p = 7;
SELECT r FROM m WHERE q = p AND p = 7 ORDER BY r;
