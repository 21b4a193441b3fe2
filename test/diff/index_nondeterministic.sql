-- CREATE INDEX refuses functions that are not deterministic in its expressions and in a partial
-- index's WHERE; the date functions pass (they fail only when they use the moment).
CREATE TABLE t(a, b);
INSERT INTO t VALUES (1, '2024-01-01'), (2, '2024-02-01');
CREATE INDEX i1 ON t(random());
CREATE INDEX i2 ON t(a) WHERE random() > 0;
CREATE INDEX i3 ON t(abs(a) + changes());
CREATE INDEX i4 ON t(a) WHERE a > 0 AND abs(random()) > 0;
CREATE INDEX i5 ON t(sqlite_version());
CREATE INDEX i6 ON t(last_insert_rowid());
CREATE INDEX i7 ON t(date(b));
CREATE INDEX i8 ON t(a) WHERE date(b) > '2024-01-15';
CREATE INDEX i9 ON t(abs(a), upper(b));
CREATE INDEX i10 ON t(a) WHERE coalesce(a, 0) > 1;
SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name;
SELECT a FROM t WHERE date(b) > '2024-01-15';
