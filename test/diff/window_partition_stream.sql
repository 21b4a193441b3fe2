-- Window passes over rows that arrive in window order (one partition at a
-- time) and over rows that do not (a second window with other partitions),
-- with NULL, text and NOCASE partition keys, DESC orders and frames.
CREATE TABLE w(id INTEGER PRIMARY KEY, g, k TEXT, v REAL);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 300)
INSERT INTO w SELECT i, CASE WHEN i % 11 = 0 THEN NULL ELSE i % 7 END,
  CASE i % 4 WHEN 0 THEN 'a' WHEN 1 THEN 'A' WHEN 2 THEN 'b' ELSE NULL END, (i * 37 % 101) / 4.0 FROM c;
SELECT id, g, sum(v) OVER (PARTITION BY g ORDER BY id) FROM w ORDER BY id;
SELECT id, g, k, rank() OVER (PARTITION BY g ORDER BY v DESC), count(*) OVER (PARTITION BY k ORDER BY id)
  FROM w ORDER BY id;
SELECT id, k, row_number() OVER (PARTITION BY k COLLATE NOCASE ORDER BY id DESC),
  avg(v) OVER (PARTITION BY g, k ORDER BY v ROWS BETWEEN 2 PRECEDING AND 1 FOLLOWING) FROM w ORDER BY id;
SELECT g, max(s) FROM (SELECT g, sum(v) OVER (PARTITION BY g ORDER BY v RANGE BETWEEN 3.0 PRECEDING AND CURRENT ROW) AS s
  FROM w) GROUP BY g ORDER BY g;
SELECT id, lag(id) OVER (PARTITION BY g % 2 ORDER BY id), lead(v, 2) OVER (PARTITION BY g ORDER BY id DESC),
  first_value(k) OVER (PARTITION BY id % 3 ORDER BY k NULLS LAST, id) FROM w ORDER BY id LIMIT 40;
SELECT id, ntile(3) OVER (PARTITION BY g ORDER BY id), group_concat(id, '.') OVER (PARTITION BY g ORDER BY id
  GROUPS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE TIES) FROM w WHERE id < 60 ORDER BY id;
-- one partition: the whole set at once
SELECT count(*), sum(c) FROM (SELECT count(*) OVER (ORDER BY g, id) AS c FROM w);
-- no rows
SELECT sum(v) OVER (PARTITION BY g ORDER BY id) FROM w WHERE id < 0;
-- ORDER BY sorts on two and three keys with ties, NOCASE and DESC text
SELECT k, g, id FROM w ORDER BY k COLLATE NOCASE DESC, g, id LIMIT 30;
SELECT g, k, v FROM w ORDER BY g DESC, k, v DESC, id LIMIT 30;
SELECT printf('%s-%05d-tail', k, id % 13) AS t, id FROM w ORDER BY t, id DESC LIMIT 30;
SELECT v, count(*) FROM w GROUP BY v, g % 2 ORDER BY 1 DESC, 2 LIMIT 20;
