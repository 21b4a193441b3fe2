-- printf's %f writes every digit of the integer part and pads the fraction
-- with zeros past the last significant digit: large and tiny numbers, with
-- and without a precision, the '#' and '!' flags and a width.
SELECT printf('%f', 1e200), printf('%.20f', 1.5e200), printf('%.0f', 1e22), printf('%.3f', 123456789012345678901234.0);
SELECT printf('%.20f', -2.5e-7), printf('%.5f', 1e-10), printf('%.12f', 1.25e-5), printf('%f', 5e-324), printf('%.400f', 1e-300);
SELECT printf('%#.0f', 7.0), printf('%.0f', 0.0), printf('%#.0f', 0.0), printf('%!.30f', 123.456), printf('%40.10f|', -987654.321);
SELECT printf('%.1f', 9.96), printf('%.2f', 99.999), printf('%.0f', 9.5), printf('%.3f', 0.0009996), printf('%,.2f', 1234567890123.5);
SELECT sum(printf(fmt, a)) FROM (SELECT 1.5e100 AS a UNION ALL SELECT -3.25e-50 UNION ALL SELECT 42.0), (SELECT '%.20f' AS fmt UNION ALL SELECT '%f' UNION ALL SELECT '%g');
