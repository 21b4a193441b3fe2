-- LIKE and GLOB patterns of the literal shapes ('%word%', 'prefix%', '%suffix', 'exact'),
-- matched bytewise, against the general matcher's answers.
CREATE TABLE t(x);
INSERT INTO t VALUES ('hello world'), ('HELLO'), ('help'), (''), ('abc%def'), ('abc_def'), ('a*b?c[d]'),
  ('Straße'), ('naïve café'), (X'68656c6c6f'), (NULL), (123), (12.5), ('xyzxyzxyz'), ('ab'), ('aab'), ('ba');
SELECT x, x LIKE '%llo%' FROM t;
SELECT x, x LIKE '%LLO%' FROM t;
SELECT x, x LIKE 'hel%' FROM t;
SELECT x, x LIKE '%ld' FROM t;
SELECT x, x LIKE 'hello' FROM t;
SELECT x, x LIKE 'HELP' FROM t;
SELECT x, x LIKE '' FROM t;
SELECT x, x LIKE '%' FROM t;
SELECT x, x LIKE '%%' FROM t;
SELECT x, x LIKE '%%zx%%' FROM t;
SELECT x, x LIKE '%12%' FROM t;
SELECT x, x LIKE '12.5' FROM t;
SELECT x, x LIKE '%ab' FROM t;
SELECT x, x LIKE 'ab%' FROM t;
SELECT x, x LIKE '%é%' FROM t;
SELECT x, x LIKE '%CAF%' FROM t;
SELECT x, x LIKE '%c%d%' FROM t;
SELECT x, x LIKE 'a_b' FROM t;
SELECT x, x LIKE '%c!%d%' ESCAPE '!' FROM t;
SELECT x, x LIKE '%c%d%' ESCAPE '%' FROM t;
SELECT x, x LIKE 'abc%' ESCAPE 'x' FROM t;
SELECT x, x LIKE '%xyz' ESCAPE 'z' FROM t;
SELECT x, x GLOB '*llo*' FROM t;
SELECT x, x GLOB '*LLO*' FROM t;
SELECT x, x GLOB 'hel*' FROM t;
SELECT x, x GLOB '*ld' FROM t;
SELECT x, x GLOB 'help' FROM t;
SELECT x, x GLOB '' FROM t;
SELECT x, x GLOB '**' FROM t;
SELECT x, x GLOB '*%*' FROM t;
SELECT x, x GLOB '*_*' FROM t;
SELECT x, x GLOB '*[d]*' FROM t;
SELECT x, x GLOB '*]*' FROM t;
SELECT x, x GLOB '*ß*' FROM t;
SELECT count(*) FROM t WHERE x LIKE '%a%';
SELECT like('%b%', 'abc'), like('%B%', 'abc'), glob('*b*', 'abc'), glob('*B*', 'abc'), like('%', NULL), like(NULL, 'a');
SELECT 'ab' || char(0) || 'cd' LIKE '%cd', 'ab' || char(0) || 'cd' LIKE 'ab%', 'ab' LIKE 'ab' || char(0) || 'x', 'ab' GLOB 'a*' || char(0) || 'x';
SELECT CAST(X'41C18142' AS TEXT) LIKE '%AB%', CAST(X'80414280' AS TEXT) LIKE '%AB%', CAST(X'E0414243' AS TEXT) LIKE '%ABC';
-- index keys compared in place by the seek (short keys) and through overflow pages (long ones)
CREATE TABLE k(a TEXT, b);
CREATE INDEX k_a ON k(a);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)
  INSERT INTO k SELECT printf('%05d', i) || CASE WHEN i % 7 = 0 THEN replace(hex(zeroblob(800 + i)), '0', 'z') ELSE '' END, i FROM n;
SELECT b FROM k WHERE a = '00123';
SELECT count(*), sum(b) FROM k WHERE a BETWEEN '00100' AND '00300';
SELECT b, length(a) FROM k WHERE a > '00140' ORDER BY a LIMIT 3;
SELECT b FROM k WHERE a = '00140' || replace(hex(zeroblob(940)), '0', 'z');
PRAGMA integrity_check;
