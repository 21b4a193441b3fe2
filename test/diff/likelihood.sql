-- likelihood()'s probability must be a real literal between 0.0 and 1.0:
-- integers, strings, negative numbers and expressions are refused when the
-- statement is prepared.
SELECT likelihood('a', 0.5), likelihood(2, 0.0), likelihood(3, 1.0), likelihood(NULL, (0.25));
SELECT likelihood(4, .5e0), typeof(likelihood(5.5, 0.9375));
SELECT likelihood(1, 1);
SELECT likelihood(1, '0.5');
SELECT likelihood(1, -0.5);
SELECT likelihood(1, 1.5);
SELECT likelihood(1, 0.5 + 0.1);
SELECT likelihood(1, NULL);
CREATE TABLE t(x);
INSERT INTO t VALUES (1), (2), (3);
SELECT x FROM t WHERE likelihood(x > 1, 0.1) ORDER BY x;
SELECT x FROM t WHERE likelihood(x > 1, x) ORDER BY x;
SELECT unlikely(x = 2), likely(x = 3) FROM t ORDER BY x;
