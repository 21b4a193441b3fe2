-- Integer division and remainder at their edges: truncation toward zero, a zero divisor (NULL), INT64_MIN / -1 (REAL),
-- x % -1 (0), and the same through registers of a table's rows.
SELECT 7/2, -7/2, 7/-2, -7/-2, 7%3, -7%3, 7%-3, -7%-3, 5/0, 5%0;
SELECT -9223372036854775808/-1, -9223372036854775808%-1, CAST(9223372036854775807/-1 AS TEXT), 7 % -1, 1/1, 0/5, 0%5;
SELECT 9223372036854775807 - -1, -9223372036854775808 - 1, 4611686018427387904 * 2, CAST(-4611686018427387904 * 2 AS TEXT), 3 * -3;
SELECT CAST(-9223372036854775807 - 1 AS TEXT), CAST(4611686018427387903 * 2 AS TEXT);
CREATE TABLE n(a INTEGER, b INTEGER);
INSERT INTO n VALUES (7, 2), (-7, 2), (7, -2), (7, 0), (-9223372036854775808, -1), (9223372036854775807, -1), (5, -1),
  (9223372036854775807, 2), (-9223372036854775808, 1), (0, -7), (7, NULL), (NULL, 3), (7.5, 2), ('9', '4');
SELECT CAST(a AS TEXT), b, CAST(a / b AS TEXT), a % b, CAST(a - b AS TEXT), CAST(a * b AS TEXT), typeof(a / b), typeof(a % b)
FROM n ORDER BY rowid;
