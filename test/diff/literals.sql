-- Literals of every storage class and how list mode renders them.
SELECT 0, 1, -1, 42, -42;
SELECT 9223372036854775807, -9223372036854775808;
SELECT 9223372036854775808, -9223372036854775809;
SELECT 0x10, 0xff, 0x7fffffffffffffff, 0xffffffffffffffff;
SELECT 1.0, 0.1, 0.5, -0.5, 2.0, 100.0;
SELECT 1e20, 1e21, 1e-5, 1e15, 1e16, 1.5e300, 1e-300;
SELECT 123456789012345.0, 1234567890123456.0, 12345678901234567.0;
SELECT 3.14159265358979, 2.718281828459045, 1.0/3, 2.0/3;
SELECT 0.0, -0.0, 1e308*10, -1e308*10;
SELECT .5, 5., 1.e2, 1E2, 1e+2;
SELECT 'text', '', 'it''s', 'two words', 'ünïcödé', '日本';
SELECT x'', x'41', x'414243', X'6a6B';
SELECT NULL;
SELECT typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL);
SELECT typeof(9223372036854775807), typeof(9223372036854775808), typeof(0x10), typeof(1e2);
SELECT 1, 'a', NULL, 2.5, x'62';
SELECT 'a' AS first, 2 AS second;
SELECT -(1), - 1, +1, +'x', -'3', -'3.5', -'abc', -NULL;
