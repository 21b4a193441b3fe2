-- printf's %r conversion writes an ordinal: the number, then st/nd/rd/th (th for 11, 12 and 13 and their hundreds).
SELECT printf('%r %r %r %r %r %r %r %r', 1, 2, 3, 4, 11, 12, 13, 21);
SELECT printf('%r %r %r %r %r %r', 0, -1, -12, 101, 111, 1002);
SELECT printf('[%6r] [%-6r] [%06r] [%.6r] [%+r] [% r]', 7, 22, 33, 44, 5, 6);
SELECT printf('%,r', 1234567), printf('%#r', 3), printf('%r', 2.9), printf('%r', '12abc'), printf('%r', NULL);
SELECT printf('%r', 9223372036854775807), printf('%r', -9223372036854775808), printf('%,d', -1234567);
WITH RECURSIVE n(v) AS (SELECT 110 UNION ALL SELECT v + 1 FROM n WHERE v < 124) SELECT group_concat(printf('%r', v), ' ') FROM n;
