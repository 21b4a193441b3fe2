-- PRAGMA case_sensitive_like replaces like() with a copy of the case-sensitive built-in (or of the other): its
-- prefix then narrows a BINARY index's range (as GLOB's), and the NOCASE one's again once it is turned off
CREATE TABLE t2(x TEXT COLLATE NOCASE);
CREATE INDEX i2 ON t2(x COLLATE NOCASE);
CREATE TABLE t3(x TEXT);
CREATE INDEX i3 ON t3(x);
INSERT INTO t2 VALUES('abc'),('ABD'),('abz'),('b');
INSERT INTO t3 VALUES('abc'),('ABD'),('abz'),('b');
PRAGMA case_sensitive_like = 1;
EXPLAIN QUERY PLAN SELECT x FROM t2 WHERE x LIKE 'ab%';
EXPLAIN QUERY PLAN SELECT x FROM t3 WHERE x LIKE 'ab%';
SELECT x FROM t2 WHERE x LIKE 'ab%' ORDER BY 1;
SELECT x FROM t3 WHERE x LIKE 'aB%' ORDER BY 1;
SELECT x FROM t3 WHERE x LIKE 'AB%' ORDER BY 1;
PRAGMA case_sensitive_like = 0;
EXPLAIN QUERY PLAN SELECT x FROM t2 WHERE x LIKE 'ab%';
EXPLAIN QUERY PLAN SELECT x FROM t3 WHERE x LIKE 'ab%';
SELECT x FROM t2 WHERE x LIKE 'aB%' ORDER BY 1;
