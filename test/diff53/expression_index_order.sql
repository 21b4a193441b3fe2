-- ORDER BY an expression of one table's columns that an index holds (CREATE INDEX … ON t(lower(b))) reads that index in order instead of sorting, ascending or walked backwards, with more terms after it, in a join for the outer table, under LIMIT, and min()/max() of such an expression reads one end of the index; a different collation, expression or argument order still sorts
CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c REAL, d)
CREATE INDEX ge ON t(lower(b))
CREATE INDEX gx ON t(c * 2 DESC, d)
CREATE INDEX gn ON t(b COLLATE NOCASE)
INSERT INTO t VALUES(1,'Abc',1.5,'x'),(2,'abd',NULL,'y'),(3,NULL,-2,'z'),(4,'ABC',1.5,'w'),(5,'b',3,NULL),(6,'',0,0)
SELECT * FROM t ORDER BY lower(b)
SELECT * FROM t ORDER BY lower(b) DESC
SELECT a FROM t ORDER BY lower(b) LIMIT 2
SELECT a, lower(b) FROM t ORDER BY lower(b), a
SELECT a FROM t ORDER BY lower(b) COLLATE NOCASE
SELECT a FROM t ORDER BY upper(b)
SELECT a FROM t ORDER BY c * 2 DESC, d
SELECT a FROM t ORDER BY c * 2, d DESC
SELECT a FROM t ORDER BY c * 2 DESC
SELECT a FROM t ORDER BY 2 * c DESC
SELECT max(lower(b)) FROM t
SELECT min(lower(b)) FROM t
SELECT max(c * 2) FROM t
SELECT min(c * 2) FROM t
SELECT max(lower(b)) FROM t WHERE a > 2
SELECT a FROM t WHERE lower(b) > 'a' ORDER BY lower(b)
SELECT a FROM t WHERE d IS NOT NULL ORDER BY lower(b) LIMIT 3
SELECT t.a, u.a FROM t, t AS u WHERE u.a = t.a ORDER BY lower(t.b)
SELECT t.a FROM t, t AS u WHERE u.a = t.a + 1 ORDER BY lower(u.b), t.a
SELECT a FROM t ORDER BY lower(b) || 'x'
SELECT b COLLATE NOCASE AS k FROM t ORDER BY k
SELECT a FROM t ORDER BY b COLLATE NOCASE
SELECT lower(b), count(*) FROM t GROUP BY lower(b)
SELECT DISTINCT lower(b) FROM t
SELECT a FROM t ORDER BY abs(a)
SELECT a FROM t ORDER BY random() IS NULL, lower(b)
