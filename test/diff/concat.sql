-- The || operator on every storage class.
SELECT 'a' || 'b', 'a' || '', '' || '';
SELECT 'n' || 1, 1 || 2, 1.5 || 'x', 'x' || 1e20, 0.1 || '';
SELECT 'a' || NULL, NULL || 'a', NULL || NULL;
SELECT 'a' || x'62', x'41' || x'42', typeof(x'41' || x'42');
SELECT typeof('a' || 1), typeof(1 || 2), length('abc' || 'de');
SELECT 'x' || 1 + 2, ('x' || 1) + 2, 1 + 2 || 'x';
SELECT 'a' || 'b' || 'c' || 'd';
SELECT 'a' || 'b' = 'ab', 'ab' = 'a' || 'b';
