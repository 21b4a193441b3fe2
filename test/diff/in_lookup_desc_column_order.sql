-- An IN list or IN (SELECT ...) feeding a lookup on a DESC index column takes its values in the column's order,
-- so the rows come out as the index holds them (here with no ORDER BY, the order being the lookups' own).
CREATE TABLE t(id INTEGER PRIMARY KEY, k INTEGER, u INTEGER);
CREATE INDEX t_k ON t(k DESC);
CREATE INDEX t_ud ON t(u DESC, k);
INSERT INTO t VALUES (1, 4, 1), (2, 12, 1), (3, 20, 2), (4, 7, 2), (5, 12, 3), (6, NULL, 1);
SELECT k FROM t WHERE k IN (4, 20, 12);
SELECT id FROM t INDEXED BY t_k WHERE k IN (SELECT k FROM t WHERE id < 4);
SELECT id, u FROM t WHERE u IN (1, 2, 3);
SELECT id, u FROM t WHERE u IN (SELECT u FROM t WHERE id > 2);
SELECT k FROM t WHERE k IN (4, 20, 12) ORDER BY k DESC;
SELECT id, u FROM t WHERE u IN (2, 1) ORDER BY u DESC, k;
