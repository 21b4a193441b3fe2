-- Numeric text as SQLite 3.53 reads it: about 19 significant digits kept
-- and converted with its own arithmetic (not always the correctly rounded
-- double), the exponent stopping at 10000, a NUL byte ending the text for
-- the REAL reading but not for the INTEGER one, the sign of a zero.
-- Cases the random comparison (test/js/text-to-number.test.mjs) found.
SELECT 3500000000000000.2500001, cast('3500000000000000.2500001' AS real), '3500000000000000.2500001' + 0;
SELECT 1576022421640.38415529, -1576022421640.38415529, cast('1576022421640.38415529' AS real);
SELECT 0.00017471750201305376803354724168926281890890095382928848266601562500000000001;
SELECT 0.000000008045374434572359109389, 18743.8614010843502910574898123741149902343750001;
SELECT cast('18743.8614010843502910574898123741149902343750001' AS real) = 18743.86140108435;
SELECT 9223372036854775808, -9223372036854775809, 18446744073709551616, 99999999999999999999999;
SELECT cast('12345678901234567890123456789e-10' AS real), cast('0.000000000000000000000000001234567890123456789012' AS real);
SELECT cast('1e-400' AS real), cast('1e400' AS real), cast('-1e400' AS real), cast('4.9e-324' AS real), cast('2.4703282292062328e-324' AS real);
SELECT cast('0.' || zeroblob(0) || printf('%.*c', 12340, '0') || '1e12345' AS real), cast('0.' || printf('%.*c', 12340, '0') || '1e123456' AS real);
SELECT cast('1e99999' AS real), cast('1e100000' AS real), cast('1e-99999' AS real), cast('5e0000000000000000000001' AS real);
SELECT typeof(cast('-2251799813685248.0' AS numeric)), typeof(cast('2251799813685248.0' AS numeric)), typeof(cast('-2251799813685249.0' AS numeric));
SELECT cast(cast('9223372036854775807' AS numeric) AS text), cast(cast('9223372036854775808' AS numeric) AS text), cast(cast('-9223372036854775808' AS numeric) AS text), cast(cast('-9223372036854775809' AS numeric) AS text);
SELECT typeof('9223372036854775808' + 0), typeof('-9223372036854775808' + 0), typeof(' 12 ' + 0), typeof('12x' + 0), typeof('1e' + 0);
SELECT ('12' || char(0)) + 0, typeof(('12' || char(0)) + 0), typeof(('12' || char(0) || 'x') + 0), cast('12' || char(0) || 'x' AS real);
SELECT typeof(cast('12' || char(0) AS numeric)), typeof(cast('4503599627370496' || char(0) AS numeric)), cast('7.5' || char(0) || '9' AS numeric);
CREATE TABLE t(r REAL, n NUMERIC, i INTEGER, b BLOB, x TEXT);
INSERT INTO t VALUES ('216601245.794268639514657974' || char(0) || '1', ' -8.25E-0 ' || char(0), '+3.330e-3091' || char(0), '1' || char(0), '2' || char(0));
INSERT INTO t VALUES ('6446' || char(0) || '1', '4503599627370496' || char(0), '4503599627370497' || char(0) || ' ', '0.5', '-0');
SELECT typeof(r), r, typeof(n), n, typeof(i), i, typeof(b), typeof(x) FROM t ORDER BY rowid;
SELECT sum(x), total(x), typeof(sum(x)) FROM (SELECT '+6446' || char(0) || '1' AS x UNION ALL SELECT '1' || char(0));
SELECT x = cast(x AS real), x < 1e10 FROM (SELECT '  216601245.794268639514657974' || char(0) || '1' AS x);
DELETE FROM t;
INSERT INTO t VALUES ('-0.0', '-0.0', '-0', '-0.0', '-0.0'), (-0.0, -0.0, -0.0, -0.0, -0.0);
SELECT atan2(0, r), atan2(0, n), atan2(0, i), atan2(0, b), x FROM t ORDER BY rowid;
SELECT atan2(0, cast('-0.0' AS real)), atan2(0, '-0' * 1.0), atan2(0, '-0' + 0), atan2(0, abs('-0.0')), atan2(0, abs(-0.0));
SELECT atan2(0, round('-0.0', 3)), atan2(0, round(-0.0, 2)), atan2(0, round(-0.0001, 3)), atan2(0, cast('- 5' AS real)), atan2(0, cast('-' AS real));
SELECT atan2(0, '-0.0' * 2.0), atan2(0, '-0.0' + 0.0), atan2(0, 0.0 - '0'), atan2(0, -'0.0'), atan2(0, cast('-0e5' AS numeric));
