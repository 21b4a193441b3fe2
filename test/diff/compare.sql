-- Comparisons within and between storage classes.
SELECT 1 = 1, 1 = 2, 1 == 1, 1 != 2, 1 <> 1, 1 < 2, 2 <= 2, 3 > 2, 3 >= 4;
SELECT 1 = 1.0, 1 < 1.5, 2.0 = 2, -0.0 = 0;
SELECT 'a' = 'a', 'a' < 'b', 'B' < 'a', 'abc' > 'ab', '' < 'a';
SELECT 1 < 'a', 1 = '1', '1' = 1, 100 < '2', 'a' < x'00', x'01' > 'zzz';
SELECT x'0102' = x'0102', x'01' < x'0102', x'02' > x'0101';
SELECT NULL = NULL, NULL <> NULL, 1 = NULL, NULL < 1, 'a' > NULL;
SELECT NULL IS NULL, 1 IS NULL, NULL IS NOT NULL, 1 IS NOT NULL, 'x' IS NOT NULL;
SELECT 1 IS 1, 1 IS 2, NULL IS 1, 1 IS NOT 1, NULL IS NOT 1, NULL IS NOT NULL;
SELECT 1 IS 1.0, 'a' IS 'a', x'01' IS x'01';
SELECT (1 < 2) = 1, (1 > 2) = 0, 1 < 2 < 3, 3 > 2 > 1;
SELECT 9223372036854775807 = 9223372036854775807.0, 9223372036854775807 < 9223372036854775808.0;
SELECT typeof(1 = 1), typeof(NULL = 1), typeof(1 IS NULL);
CREATE TABLE c(i INTEGER, r REAL, t TEXT, b BLOB, n);
INSERT INTO c VALUES (1, 1.0, '1', x'31', 1);
INSERT INTO c VALUES (2, 2.5, '10', x'3130', '2');
SELECT i = '1', r = '1', t = 1, n = '1', b = '1', i = t FROM c ORDER BY i;
SELECT i < t, t < i, r < t, n < '10', n = 2 FROM c ORDER BY i;
SELECT typeof(i), typeof(r), typeof(t), typeof(b), typeof(n) FROM c ORDER BY i;
