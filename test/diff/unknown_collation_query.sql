-- An unknown collation fails a query only where something compares or keeps values by it.
CREATE TABLE uq(x, y TEXT);
INSERT INTO uq VALUES(1, 'a'), (2, 'B');
SELECT x COLLATE nosuch FROM uq;
SELECT upper(y COLLATE nosuch), length(y COLLATE nosuch) FROM uq;
SELECT 1 COLLATE nosuch;
SELECT (SELECT y COLLATE nosuch) FROM uq;
SELECT EXISTS (SELECT y COLLATE nosuch FROM uq);
SELECT x COLLATE nosuch = 1 FROM uq;
SELECT max(y COLLATE nosuch) FROM uq;
SELECT count(DISTINCT y COLLATE nosuch) FROM uq;
SELECT x FROM uq WHERE x COLLATE nosuch = 1;
SELECT x FROM uq ORDER BY y COLLATE nosuch;
SELECT x COLLATE nosuch FROM uq ORDER BY 1;
SELECT DISTINCT x COLLATE nosuch FROM uq;
SELECT * FROM (SELECT x COLLATE nosuch FROM uq);
SELECT x FROM uq WHERE x IN (SELECT x COLLATE nosuch FROM uq);
SELECT x COLLATE nosuch FROM uq UNION SELECT 1;
WITH c AS (SELECT x COLLATE nosuch FROM uq) SELECT * FROM c;
CREATE VIEW uqv AS SELECT y COLLATE nosuch AS z FROM uq;
SELECT * FROM uqv;
-- nullif() compares in its arguments' collation.
SELECT nullif(y COLLATE nocase, 'b') IS NULL, nullif(y, 'b') IS NULL FROM uq ORDER BY x;
SELECT nullif('a', 'A' COLLATE nocase), nullif('a', 'A');
-- Kept rows take a collation from a COLLATE anywhere in the column's expression.
SELECT * FROM (SELECT upper(y COLLATE nosuch) FROM uq);
SELECT * FROM (SELECT y COLLATE nocase || 'x' AS z FROM uq) WHERE z = 'BX';
SELECT * FROM (SELECT upper(y COLLATE nocase) AS z FROM uq) WHERE z = 'a';
CREATE VIEW uqv2(c1) AS SELECT CASE WHEN x COLLATE nosuch THEN 1 ELSE 2 END FROM uq;
SELECT * FROM uqv2;
-- A query's own UNION ALL keeps no collation; UNION compares by it.
SELECT x COLLATE nosuch FROM uq UNION ALL SELECT 1;
SELECT 1 UNION ALL SELECT x COLLATE nosuch FROM uq UNION ALL SELECT 2;
SELECT 1 UNION SELECT x COLLATE nosuch FROM uq;
SELECT * FROM (SELECT x COLLATE nosuch FROM uq UNION ALL SELECT 1);
