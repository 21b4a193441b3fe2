-- A flush writes a term's entries after the first on a leaf in one run while each has a rowid difference of one
-- or two bytes, a one-byte size and room on the leaf; any other entry (a three-byte difference, a poslist of 64
-- bytes or more, one that reaches the end of the leaf) goes the general way.  The leaves must be SQLite's.
CREATE VIRTUAL TABLE t USING fts5(a, b);
INSERT INTO t(t, rank) VALUES('pgsz', 200);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400) INSERT INTO t(rowid, a, b) SELECT i * 61 + (i / 50) * 20000, 'x' || (i % 7) || ' common y' || (i % 3), replace(hex(zeroblob(i % 80)), '00', 'rep ') FROM c;
SELECT id, hex(block) FROM t_data ORDER BY id;
SELECT segid, hex(term), pgno FROM t_idx ORDER BY segid, term;
SELECT rowid FROM t('common AND rep') ORDER BY rowid LIMIT 5;
SELECT count(*) FROM t('x3 OR y1');
CREATE VIRTUAL TABLE u USING fts5(a);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 3000) INSERT INTO u(rowid, a) SELECT i * (1 + i % 300), 'w' || (i % 40) || ' v' || (i % 500) FROM c;
SELECT id, hex(block) FROM u_data ORDER BY id;
SELECT segid, hex(term), pgno FROM u_idx ORDER BY segid, term;
INSERT INTO u(u) VALUES('integrity-check');
