-- A VALUES list of several rows to the right of a compound operator is one operand, not rows joined by UNION ALL to the chain.
CREATE TABLE p(a, b); INSERT INTO p VALUES (1,'one'),(2,'two'),(3,'three');
SELECT a, b FROM p EXCEPT VALUES (1,'one'),(3,'three');
SELECT a FROM p EXCEPT VALUES (2),(9),(3);
SELECT a FROM p INTERSECT VALUES (3),(1),(7);
SELECT a FROM p UNION VALUES (4),(1),(4);
SELECT a FROM p UNION ALL VALUES (4),(4) EXCEPT SELECT 1;
VALUES (5),(6) EXCEPT VALUES (6),(7);
SELECT 1 UNION VALUES (2),(1) UNION ALL SELECT 1;
SELECT count(*) FROM (SELECT a FROM p UNION VALUES (1),(1),(8));
SELECT a FROM p EXCEPT VALUES (1),(2,3);
SELECT a FROM p EXCEPT VALUES (1),(2) ORDER BY 1;
