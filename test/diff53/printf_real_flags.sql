-- printf's REAL conversions with widths and flags: the number is written in
-- place after its sign, trimmed ('%g', '!'), grouped (','), then padded
-- before the sign, after it ('0') or after the number ('-').
SELECT printf('%12.3f|%-12.3f|%012.3f|%+12.3f|% 012.3f', -3.14159, -3.14159, -3.14159, 3.14159, 3.14159);
SELECT printf('%15e|%-15e|%015e|%+15E|% 15.2e', 6.02214076e23, -6.02214076e23, -6.02214076e23, 1e-300, 5e-324);
SELECT printf('%12g|%-12g|%012g|%+12G|%#12g|%#.3g', 100000.0, 1e-5, -0.000123456, 1e100, 2.5, 0.0001);
SELECT printf('%!12.3f|%!-12.3e|%!012g|%!.0f|%!.0e|%!g', 2.0, 2.0, 1e20, 7.0, 7.0, 0.5);
SELECT printf('%,20.2f|%-,20.2f|%0,20.2f|%,f|%,.0f|%,g', 1234567.891, -1234567.891, 1234567.891, 999.5, 1e15, 1234567.0);
SELECT printf('%,e|%,12.2e|%!,.3f|%!,20f', 1234567.0, -1234567.0, 1234567.0, 1234.0);
SELECT printf('%5.0f|%-5.0f|%05.0f|%.0e|%#.0e|%#.0f|%#5.0f', 0.5, 1.5, -2.5, 9.5, 9.5, 3.0, -3.0);
SELECT printf('%30.20f|%-30.20e|%030.10g', 0.1, 1.0 / 3, 2.0 / 3);
SELECT printf('%g|%e|%!g|%.20f', x, x, x, x) FROM (SELECT 1e200 AS x UNION ALL SELECT -1e-200 UNION ALL SELECT 123456789.5e-3);
SELECT printf('%3f|%3e|%-3g|%03g', 1e308 * 10, -1e308 * 10, 1e308 * 10, -1e308 * 10);
SELECT printf('%10.3E|%-10.3G|%+010.2G', 12345.678, 0.000012345, -12345.678);
SELECT sum(printf(f, x)) FROM (SELECT 123456789.7e-7 AS x UNION ALL SELECT -98765.4321e100), (SELECT '%g' AS f UNION ALL SELECT '%e' UNION ALL SELECT '%!g' UNION ALL SELECT '%.20f');
SELECT printf('%#.2f|%#.0f|%#5.1f|%+#.2f|% #.2f|%#.2e|%#g', -0.001, -0.4, -0.04, -0.001, -0.001, -0.001, -0.0000001);
SELECT printf('%#.2f|%#.3f|%#f', -0.005, -0.0005, -1e-7);
SELECT printf('%05f|%07.2e|%010g|%+05g|%-05g|%05.1f', 1e308 * 10, -1e308 * 10, 1e308 * 10, 1e308 * 10, -1e308 * 10, -1e308 * 10);
SELECT length(printf('%08f', 1e308 * 10)), substr(printf('%08.1f', -1e308 * 10), 1, 5);
SELECT printf('%0!.17g|%!.17g|%0!.17G|%0!g|%0!.3e', 1e308 * 10, -1e308 * 10, -1e308 * 10, 1e308 * 10, 1e308 * 10);
