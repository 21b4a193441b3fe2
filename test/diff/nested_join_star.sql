-- "*" over a parenthesised join given a name: each of its columns answers to
-- its own table's name, so a table named both inside and outside the join makes
-- "*" ambiguous; a sole such item's "*" reads bare names, which two tables
-- inside may share; the join's own name is no table for "name.*".
CREATE TABLE p(k, x);
CREATE TABLE q(k, y);
CREATE TABLE r(m, n);
INSERT INTO p VALUES (1, 'p1'), (2, 'p2');
INSERT INTO q VALUES (1, 'q1'), (3, 'q3');
INSERT INTO r VALUES ('r', 's');
SELECT * FROM (p JOIN q) j;
SELECT * FROM (p JOIN q USING (k)) j;
SELECT * FROM (p NATURAL JOIN q) j;
SELECT * FROM (p JOIN r) j;
SELECT x, y FROM (p JOIN q) j ORDER BY x, y;
SELECT j.k FROM (p JOIN q) j ORDER BY 1;
SELECT * FROM q JOIN ((p JOIN q) j);
SELECT * FROM ((p JOIN q) j), q;
SELECT * FROM q JOIN ((p JOIN q) j) USING (k);
SELECT * FROM q AS z JOIN ((p JOIN q AS z) j);
SELECT * FROM q JOIN ((p JOIN q USING (k)) j);
SELECT * FROM r LEFT JOIN ((p JOIN r) j);
SELECT * FROM q JOIN ((p JOIN r) j) ORDER BY 1, 2, 3, 4;
SELECT * FROM p JOIN ((q JOIN (p JOIN r)) j);
SELECT q.* FROM q JOIN ((p JOIN q) j);
SELECT p.* FROM q JOIN ((p JOIN q) j) ORDER BY 1, 2;
SELECT j.* FROM q JOIN ((p JOIN q) j);
SELECT j.* FROM (p JOIN r) j;
SELECT r.* FROM (p JOIN r) j;
SELECT * FROM (p JOIN q USING (k)) a1 JOIN (p JOIN r) a2 USING (k);
SELECT * FROM (p JOIN r) a1, (p JOIN r) a2 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8;
