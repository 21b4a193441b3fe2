-- The ORDER BY of a query that returns one aggregate row sorts nothing, yet its terms
-- resolve as any ORDER BY's: unknown names and out-of-range numbers are errors.
CREATE TABLE t(a,b);
INSERT INTO t VALUES(1,2);
SELECT count(*) FROM t ORDER BY nosuch;
SELECT count(*) FROM t ORDER BY b;
SELECT max(a) FROM t ORDER BY 2;
SELECT max(a) FROM t ORDER BY 1;
SELECT max(a) AS m FROM t ORDER BY m;
SELECT max(a) AS m FROM t ORDER BY m+nosuch;
SELECT max(a) FROM t ORDER BY sum(b);
SELECT max(a) FROM t ORDER BY t.b;
SELECT max(a) FROM t ORDER BY x.b;
SELECT max(a) FROM t ORDER BY 0;
SELECT max(a) FROM t ORDER BY -1;
SELECT max(a) FROM t ORDER BY a COLLATE nocase;
SELECT max(a) FROM t ORDER BY rowid;
SELECT max(a) FROM t ORDER BY random();
SELECT max(a) FROM t ORDER BY max(a) OVER ();
SELECT (SELECT count(*) FROM t ORDER BY outer_t.a) FROM t AS outer_t;
SELECT count(*) FROM t HAVING count(*) > 0 ORDER BY nosuch;
