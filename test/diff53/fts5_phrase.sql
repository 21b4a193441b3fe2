-- fts5 phrases whose terms' poslists are compared in place: phrases of 2-4 words with repeated words, phrases
-- that would span a column boundary, column filters and '^', NEAR groups, prefix terms inside phrases, rows in
-- several segments (updated, deleted, written again), small pages (poslists that go on over the next leaf),
-- queries inside a transaction over changes not yet written, and detail=column and detail=none tables.
CREATE VIRTUAL TABLE p USING fts5(a, b);
INSERT INTO p(p, rank) VALUES ('pgsz', 64);
INSERT INTO p(p, rank) VALUES ('automerge', 0);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) INSERT INTO p(rowid, a, b) SELECT i, substr('abcd', 1 + i % 4, 1) || ' ' || substr('abcd', 1 + i * 7 % 4, 1) || ' ' || substr('abcab', 1 + i % 5, 1) || ' ' || substr('aabcd', 1 + i * 3 % 5, 1), substr('bacd', 1 + i * 5 % 4, 1) || ' ' || substr('abcd', 1 + i * 11 % 4, 1) || ' ' || substr('aaab', 1 + i % 4, 1) || ' ' || substr('dcba', 1 + i * 13 % 4, 1) || ' ' || substr('abca', 1 + i % 3, 1) || ' e' || (i % 7) FROM n;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 40) INSERT INTO p(rowid, a, b) SELECT 300 + i, 'a a a a a a a a a a b a a b b a a a', replace(hex(zeroblob(i * 3)), '00', 'a b ') || 'c' FROM n;
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a a a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"b a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a b c d"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a a b b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"c d"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"d c b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"b c" AND "c d"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a b" NOT "b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a e3"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"b e3" OR "c e5"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'a:"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'b:"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '{b a}:"d b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '-a:"a a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '^"b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'b:^"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a* b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a e*"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"c a e1*"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'NEAR("a b" "c d", 2)' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'NEAR("a a" e4, 1)' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'NEAR("b a b" "c", 0)' ORDER BY rowid;
SELECT rowid, highlight(p, 0, '[', ']'), highlight(p, 1, '[', ']') FROM p WHERE p MATCH '"a b" OR "b a"' AND rowid < 60 ORDER BY rowid;
SELECT rowid, highlight(p, 0, '[', ']') FROM p WHERE p MATCH '"a a a"' AND rowid > 300 ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rank, rowid LIMIT 12;
-- the same rows in several segments: updated, deleted, written again
UPDATE p SET b = 'a b a b c' WHERE rowid % 11 = 0;
DELETE FROM p WHERE rowid % 7 = 3;
INSERT INTO p(rowid, a, b) VALUES (3, 'b a b a', 'c d c d'), (10, 'x y', 'a b c d');
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"b a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a b c"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"c d c d"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'NEAR("a b" "c d", 3)' ORDER BY rowid;
SELECT rowid, highlight(p, 1, '[', ']') FROM p WHERE p MATCH '"b a b"' AND rowid < 120 ORDER BY rowid;
-- changes not yet written, read with the segments
BEGIN;
INSERT INTO p(rowid, a, b) VALUES (1000, 'a b a b a b', 'c d'), (1001, 'd c b a', 'a a a a');
UPDATE p SET a = 'c d a b' WHERE rowid = 22;
DELETE FROM p WHERE rowid = 44;
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a a a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"b a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"d c b a"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH 'a:"c d a"' ORDER BY rowid;
SELECT rowid, highlight(p, 0, '[', ']') FROM p WHERE p MATCH '"a b a"' AND rowid >= 1000 ORDER BY rowid;
COMMIT;
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rowid;
INSERT INTO p(p) VALUES ('optimize');
SELECT rowid FROM p WHERE p MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM p WHERE p MATCH '"a a b b"' ORDER BY rowid;
INSERT INTO p(p) VALUES ('integrity-check');
-- detail=column and detail=none: phrases match rows that hold every term
CREATE VIRTUAL TABLE pc USING fts5(a, b, detail=column);
INSERT INTO pc(rowid, a, b) SELECT rowid, a, b FROM p;
SELECT rowid FROM pc WHERE pc MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM pc WHERE pc MATCH 'a:"c d"' ORDER BY rowid;
SELECT rowid FROM pc WHERE pc MATCH '"a a a"' ORDER BY rowid;
CREATE VIRTUAL TABLE pn USING fts5(a, b, detail=none);
INSERT INTO pn(rowid, a, b) SELECT rowid, a, b FROM p;
SELECT rowid FROM pn WHERE pn MATCH '"a b"' ORDER BY rowid;
SELECT rowid FROM pn WHERE pn MATCH '"d c b a"' ORDER BY rowid;
