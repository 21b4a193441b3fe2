-- ORDER BY … NULLS FIRST/LAST against an index's own NULL placement: rows
-- equal on the ORDER BY come in the order of the index walked in the
-- direction of the terms (SQLite walks the index for the NULLs and for the
-- rest apart, and sorts nothing).
CREATE TABLE n(g, k, v);
CREATE INDEX ngk ON n(g, k);
INSERT INTO n VALUES (1, 5, 'a'), (1, NULL, 'b'), (1, NULL, 'c'), (1, 2, 'd'), (1, 5, 'e'), (1, NULL, 'f');
INSERT INTO n VALUES (2, NULL, 'g'), (2, 7, 'h'), (2, NULL, 'i'), (2, 7, 'j'), (3, NULL, 'k'), (3, NULL, 'l');
SELECT v FROM n WHERE g = 1 ORDER BY k DESC NULLS FIRST;
SELECT v FROM n WHERE g = 1 ORDER BY k NULLS LAST;
SELECT v FROM n WHERE g = 1 ORDER BY k DESC NULLS LAST;
SELECT v FROM n WHERE g = 1 ORDER BY k NULLS FIRST;
SELECT g, v FROM n WHERE g IN (1, 2, 3) ORDER BY g DESC, k DESC NULLS FIRST;
SELECT g, v FROM n WHERE g IN (1, 2, 3) ORDER BY g, k NULLS LAST;
SELECT g, v FROM n WHERE g = 2 ORDER BY k DESC NULLS FIRST, g;
CREATE TABLE m(g, k, v);
CREATE INDEX mgk ON m(g, k DESC);
INSERT INTO m SELECT * FROM n;
SELECT v FROM m WHERE g = 1 ORDER BY k DESC NULLS FIRST;
SELECT v FROM m WHERE g = 1 ORDER BY k NULLS LAST;
SELECT v FROM m WHERE g = 2 ORDER BY k ASC NULLS LAST;
