-- Digit separators (SQLite 3.46+): a '_' between two digits of a number
-- literal is dropped; anywhere else in a number it is "unrecognized token".
-- Only where an expression's term stands (and DEFAULT) is such a number a
-- literal; a PRAGMA value or a type's size stays a syntax error.
SELECT 1_000, 1.1_1, 12_3_456.7_8_9, 0xFF_FF, 0x1_0, -9_007_199_254_740_991, typeof(-9_223_372_036_854_775_808)
SELECT typeof(1_0), typeof(1_0.5), typeof(0xE_E), typeof(1_0e1), 1e1_0
SELECT 0xFF__FF
SELECT 1__0
SELECT 1_
SELECT 1_e5
SELECT 1e_5
SELECT 1._5
SELECT 0x1_
SELECT 1_2__3
SELECT 1_a
CREATE TABLE t(a DEFAULT 1_000, b DEFAULT -2_0)
INSERT INTO t DEFAULT VALUES
SELECT a, b, typeof(a) FROM t
SELECT dflt_value FROM pragma_table_info('t')
PRAGMA cache_size = 1_000
CREATE TABLE u(a VARCHAR(1_0))
SELECT 1 LIMIT 1_0
SELECT 1_0 AS x, x IN (10, 1_1) FROM (SELECT 1)
