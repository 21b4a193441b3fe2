-- One statement matching with many patterns: a pattern's shape is remembered
-- per statement, and the next pattern (same length, other bytes or options)
-- must not be read with the last one's shape.
CREATE TABLE p(pat, esc);
INSERT INTO p VALUES ('%ab%', NULL), ('%a_%', NULL), ('a%b%', NULL), ('%AB%', NULL), ('ab%%', NULL),
  ('%%ab', NULL), ('abab', NULL), ('%a!%', '!'), ('%a!%', 'a'), ('%ab%', 'b'), ('%7a%', NULL), ('%7A%', NULL),
  ('*ab*', NULL), ('[a]*', NULL), ('%', NULL), ('', NULL), ('%é%', NULL), ('_b%', NULL);
CREATE TABLE s(x);
INSERT INTO s VALUES ('ab'), ('xaby'), ('AB'), ('a%'), ('a!%'), ('abab'), ('b'), (''), ('17a2'), ('17A2'),
  ('*ab*'), ('ax'), ('café'), ('bb'), (NULL), (42);
SELECT pat, x, x LIKE pat FROM p, s WHERE esc IS NULL ORDER BY p.rowid, s.rowid;
SELECT pat, esc, x, x LIKE pat ESCAPE esc FROM p, s WHERE esc IS NOT NULL ORDER BY p.rowid, s.rowid;
SELECT pat, x, x GLOB pat, x LIKE pat FROM p, s ORDER BY p.rowid, s.rowid;
SELECT count(*) FROM s WHERE x LIKE '%a%' OR x GLOB '*a*' OR x LIKE '%A_';
