-- ADD COLUMN takes a DEFAULT of signs and CASTs over a constant ("-(-5)"), folded as SQLite folds it for the rows already there.
CREATE TABLE t5(a INTEGER DEFAULT -9223372036854775808, b INTEGER DEFAULT (-(-9223372036854775808)));
INSERT INTO t5 DEFAULT VALUES;
ALTER TABLE t5 ADD COLUMN c INTEGER DEFAULT (-(-9223372036854775808));
ALTER TABLE t5 ADD COLUMN d DEFAULT (-(-5));
ALTER TABLE t5 ADD COLUMN e DEFAULT (+(-(+5.5)));
ALTER TABLE t5 ADD COLUMN f DEFAULT (CAST('12' AS INTEGER));
ALTER TABLE t5 ADD COLUMN g DEFAULT (-CAST(-(3) AS TEXT));
ALTER TABLE t5 ADD COLUMN h DEFAULT (-('abc'));
ALTER TABLE t5 ADD COLUMN i DEFAULT (-NULL);
ALTER TABLE t5 ADD COLUMN j DEFAULT TRUE;
ALTER TABLE t5 ADD COLUMN k DEFAULT (-false);
ALTER TABLE t5 ADD COLUMN l DEFAULT (-(-'7x'));
ALTER TABLE t5 ADD COLUMN m DEFAULT (1+1);
ALTER TABLE t5 ADD COLUMN n DEFAULT (-abs(1));
SELECT typeof(c), c, typeof(d), d, typeof(e), e, typeof(f), f, typeof(g), g, typeof(h), h, typeof(i), typeof(j), j, typeof(k), k, typeof(l), l FROM t5;
INSERT INTO t5(a) VALUES(0);
SELECT typeof(c), c, typeof(d), d, typeof(e), e, typeof(f), f, typeof(g), g, typeof(h), h, typeof(i), typeof(j), j, typeof(k), k, typeof(l), l FROM t5 WHERE a = 0;
