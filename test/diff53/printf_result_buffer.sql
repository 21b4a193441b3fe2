-- printf() builds its result in the old text buffer of the register the
-- result goes to (no allocation per row), unless an argument reads from it:
-- results of growing and shrinking lengths, a result fed back as an argument,
-- nested calls, a column the result register held before.
WITH RECURSIVE g(value) AS (VALUES (1) UNION ALL SELECT value + 1 FROM g WHERE value < 40) SELECT value, printf('%s-%.*c', value, value * 7, 'x') FROM g ORDER BY value;
WITH RECURSIVE g(value) AS (VALUES (1) UNION ALL SELECT value + 1 FROM g WHERE value < 30) SELECT printf('%s|%s|%s', printf('%d', value), printf('%.3f', value / 7.0), printf('%.20f', value * 1e15)) FROM g;
WITH RECURSIVE c(i, s) AS (VALUES (1, 'ab') UNION ALL SELECT i + 1, printf('%s%s', s, s) FROM c WHERE i < 12) SELECT i, length(s), substr(s, 1, 6), substr(s, -4) FROM c;
WITH RECURSIVE c(i, s) AS (VALUES (1, 'xyz') UNION ALL SELECT i + 1, printf('%.*s', length(s) - 1, s || s) FROM c WHERE i < 10) SELECT i, s FROM c;
CREATE TABLE t(a TEXT, b REAL);
INSERT INTO t WITH RECURSIVE g(value) AS (VALUES (1) UNION ALL SELECT value + 1 FROM g WHERE value < 60) SELECT printf('row %d %.*c', value, value % 13, '#'), value * 1.5e10 FROM g;
SELECT a, printf('%s %g %e', a, b, b), printf(a), length(printf('%.20f', b)) FROM t ORDER BY rowid;
SELECT printf('%s', a) = a, printf('%5.2s|%-8s|', a, a) FROM t WHERE rowid % 7 = 0;
SELECT group_concat(printf('%s:%d', a, rowid), ';') FROM t WHERE rowid < 10;
SELECT sum(length(printf(f, b))) FROM t, (SELECT '%g' AS f UNION ALL SELECT '%.20f' UNION ALL SELECT '' UNION ALL SELECT '%q');
SELECT printf(''), printf('%z'), typeof(printf('')), typeof(printf('%s', '')), printf('%', 1), printf('%d%');
