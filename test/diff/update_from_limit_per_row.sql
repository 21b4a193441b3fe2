-- UPDATE … FROM … ORDER BY … LIMIT n groups the join by the target's key first: n rows of the target change,
-- each once, however many FROM rows match it.
CREATE TABLE x1(a INTEGER PRIMARY KEY, b);
INSERT INTO x1 VALUES (1, 'one'), (2, 'two'), (3, 'three'), (4, 'four'), (5, 'five');
CREATE TABLE d(x, y);
INSERT INTO d VALUES (1, 'eleven'), (1, 'twenty-one'), (2, 'twelve'), (2, 'twenty-two'), (3, 'thirteen'), (4, 'fourteen');
UPDATE x1 SET b = y FROM d WHERE a = x ORDER BY a LIMIT 3;
SELECT changes();
SELECT * FROM x1;
UPDATE x1 SET b = b || '+' || y FROM d WHERE a = x ORDER BY b DESC LIMIT 2 OFFSET 1;
SELECT * FROM x1;
CREATE TABLE w(u, v, b, PRIMARY KEY (u, v)) WITHOUT ROWID;
INSERT INTO w VALUES (0, 1, 'one'), (1, 0, 'two'), (1, 1, 'three'), (2, 0, 'four');
UPDATE w SET b = y FROM d WHERE u * 2 + v = x ORDER BY u, v LIMIT 3;
SELECT * FROM w;
UPDATE x1 SET b = y FROM d WHERE a = x;
SELECT * FROM x1;
