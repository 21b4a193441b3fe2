-- Joins: inner with ON, LEFT [OUTER] JOIN (with ON, WHERE, GROUP BY, subqueries), CROSS, comma joins.
CREATE TABLE a(id INTEGER PRIMARY KEY, x); INSERT INTO a VALUES (1,'a1'),(2,'a2'),(3,'a3');
CREATE TABLE b(aid, y); INSERT INTO b VALUES (1,'b1'),(1,'b1b'),(3,'b3'),(9,'b9');
SELECT a.x, b.y FROM a JOIN b ON a.id = b.aid ORDER BY 1, 2;
SELECT a.x, b.y FROM a LEFT JOIN b ON a.id = b.aid ORDER BY 1, 2;
SELECT a.x, b.y FROM a LEFT OUTER JOIN b ON a.id = b.aid WHERE b.y IS NULL;
SELECT a.x, b.y FROM a LEFT JOIN b ON a.id = b.aid AND b.y = 'b1b' ORDER BY 1;
SELECT a.x, count(b.y) FROM a LEFT JOIN b ON b.aid = a.id GROUP BY a.x ORDER BY 1;
SELECT b.y, a.x FROM b LEFT JOIN a ON a.id = b.aid ORDER BY 1;
SELECT a.x, b.y, c.x FROM a LEFT JOIN b ON a.id = b.aid LEFT JOIN a AS c ON c.id = b.aid + 1 ORDER BY 1, 2;
SELECT a.x, b.y FROM a, b WHERE a.id = b.aid AND a.id > 1;
SELECT a.x, b.y FROM a CROSS JOIN b ON a.id = b.aid ORDER BY 2;
SELECT * FROM a LEFT JOIN b ON 0 ORDER BY 1;
SELECT a.x FROM a LEFT JOIN (SELECT aid FROM b WHERE aid > 1) AS s ON s.aid = a.id WHERE s.aid IS NULL;
