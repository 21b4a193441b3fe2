-- DISTINCT and aggregate DISTINCT tell values apart in their column's (or COLLATE's) collation.
CREATE TABLE dc(b TEXT COLLATE RTRIM, c COLLATE NOCASE, d);
INSERT INTO dc VALUES ('a ','A',1),('a','a',1.0),('b','B',2),('B','b','x'),('ÉA','éa',NULL);
SELECT count(DISTINCT b), count(DISTINCT c), count(DISTINCT d) FROM dc;
SELECT DISTINCT c FROM dc;
SELECT DISTINCT b FROM dc;
SELECT DISTINCT c, d FROM dc;
SELECT DISTINCT c COLLATE BINARY FROM dc;
SELECT count(DISTINCT c COLLATE BINARY), group_concat(DISTINCT c) FROM dc;
SELECT DISTINCT upper(c) FROM dc;
