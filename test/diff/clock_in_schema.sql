-- A date/time function reading the clock ('now', 'localtime', 'utc') inside
-- a CHECK constraint, an index expression or a partial index's WHERE fails
-- the statement; the same functions on stored dates are fine there.
CREATE TABLE tc(x, CHECK(date(x) BETWEEN '2017-07-01' AND '2017-07-31'));
INSERT INTO tc VALUES('2017-07-20');
INSERT INTO tc VALUES('now');
INSERT INTO tc VALUES('2017-08-01');
SELECT * FROM tc;
CREATE TABLE tj(a REAL CHECK(a < julianday('now')));
INSERT INTO tj VALUES(1.0);
CREATE TABLE tk(a REAL, b TEXT, CHECK(a < julianday(b)));
INSERT INTO tk VALUES(1.0, '1970-01-01');
INSERT INTO tk VALUES(1e100, '1970-01-01');
INSERT INTO tk VALUES(1.0, 'now');
CREATE TABLE ti(x, y);
INSERT INTO ti VALUES(1, '2017-07-20'), (2, 'xyzzy');
CREATE INDEX ti_y ON ti(date(y));
INSERT INTO ti VALUES(3, 'now');
UPDATE ti SET y = 'now' WHERE x = 2;
SELECT x, y FROM ti ORDER BY x;
CREATE TABLE tp(a INTEGER PRIMARY KEY, b);
INSERT INTO tp VALUES(1, julianday('2017-07-01')), (2, 'now');
CREATE INDEX tp_b ON tp(datetime(b));
CREATE INDEX tp_w ON tp(b) WHERE date(b) BETWEEN '2017-06-01' AND '2017-08-31';
DELETE FROM tp WHERE a = 2;
CREATE INDEX tp_w ON tp(b) WHERE date(b) BETWEEN '2017-06-01' AND '2017-08-31';
INSERT INTO tp VALUES(9, 'now');
INSERT INTO tp VALUES(10, '2017-07-04');
CREATE TABLE tm(y, m);
CREATE INDEX tm_i ON tm(y) WHERE datetime(y, m) IS NOT NULL;
INSERT INTO tm VALUES('2017-07-20', '+1 day');
INSERT INTO tm VALUES('2017-07-20', 'localtime');
INSERT INTO tm VALUES('2017-07-20', 'utc');
SELECT count(*) FROM tm;
