-- A COLLATE anywhere in an operand of a comparison, not only at its top,
-- outranks the other operand's column collation (left operand first); with
-- an index on the column, the planner must not seek it in the column's
-- collation either.
CREATE TABLE t(b TEXT COLLATE BINARY, c TEXT COLLATE NOCASE);
INSERT INTO t VALUES ('hat', 'hat'), ('hAt', 'hAt'), ('HAT', 'HAT'), ('x', 'x');
SELECT count(*) FROM t WHERE b = +('HAT' COLLATE NOCASE);
SELECT count(*) FROM t WHERE b = ('HA' || 'T' COLLATE NOCASE);
SELECT count(*) FROM t WHERE b < +('hAt' COLLATE NOCASE);
SELECT count(*) FROM t WHERE c = ('HA' || 'T' COLLATE BINARY);
SELECT count(*) FROM t WHERE (c || '') = ('HA' || 'T' COLLATE BINARY);
SELECT count(*) FROM t WHERE +b = +('HAT' COLLATE NOCASE);
SELECT b, b = +('HAT' COLLATE NOCASE), c = ('hat' || '' COLLATE BINARY) FROM t ORDER BY rowid;
CREATE INDEX tb ON t(b);
CREATE INDEX tc ON t(c);
SELECT count(*) FROM t WHERE b = +('HAT' COLLATE NOCASE);
SELECT count(*) FROM t WHERE b > +('hat' COLLATE NOCASE);
SELECT count(*) FROM t WHERE c = +('hat' COLLATE BINARY);
SELECT b FROM t WHERE c = ('h' || 'at' COLLATE BINARY) ORDER BY 1;
