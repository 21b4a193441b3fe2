-- Scalar functions: length, typeof, abs, lower, upper, coalesce.
SELECT length('abc'), length(''), length('日本語'), length(x'010203'), length(NULL);
SELECT length(12345), length(1.5), length(-0.25), length(x'');
SELECT abs(-5), abs(5), abs(0), abs(-2.5), abs(NULL), abs('-3'), abs('abc');
SELECT abs(-9223372036854775807), typeof(abs(-1)), typeof(abs(-1.0)), typeof(abs('-1'));
SELECT abs(-9223372036854775808);
SELECT lower('ABC def'), upper('abc DEF'), lower(NULL), upper(NULL), lower(123), upper(1.5);
SELECT upper('straße'), lower('ÀÉ'), upper('mixed 123 Case');
SELECT coalesce(NULL, 1), coalesce(NULL, NULL, 'x'), coalesce(2, NULL), coalesce(NULL, NULL);
SELECT coalesce(NULL, 1.5, 2), typeof(coalesce(NULL, x'01')), coalesce('a', 'b');
SELECT typeof(length('a')), typeof(lower('A')), typeof(upper(1));
SELECT LENGTH('x'), Upper('y'), COALESCE(NULL, 'z'), ABS(-1), TYPEOF(1);
SELECT length(lower(upper('MiXeD'))), abs(length('abc') - 10);
SELECT nosuchfunction(1);
SELECT abs();
SELECT length(1, 2);
SELECT coalesce(1);
-- printf: a precision repeats %c's character; a negative * precision counts as its size.
SELECT '[' || printf('%.0c|%.1c|%.*c|%5.3c|%-5.2c|%.2c', 'a', 'b', -2, 'c', 'd', 'e', 'é') || ']', length(printf('%.3c', ''));
SELECT printf('[%.*s]', -2, 'abcdef'), printf('[%.*d]', -4, 7), printf('[%*d]', -4, 7), printf('[%.*f]', -2, 3.14159);
-- printf's '!' flag: a REAL keeps a point and one digit after it, other trailing zeros go; more digits allowed.
SELECT printf('%!.3g',1.0), printf('%!g',2.0), printf('%!.20g',0.1), printf('%!e',1.0), printf('%!f',1.0), printf('%!.0f',3.0);
SELECT printf('%!.0e|%!.0g|%!10.2f|%!-8.0f|', 5.0, 7.0, 2.5, 4.0), printf('%!d', 5);
