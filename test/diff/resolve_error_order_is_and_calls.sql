-- Which unknown name or bad call an expression reports when it has several: "x IS name" looks the bare right-hand
-- name up before x, and a call is looked up before its arguments, a bare unknown name among them overriding it.
CREATE TABLE r(a INTEGER);
SELECT nosuch1 IS nosuch2;
SELECT nosuch1 IS NOT nosuch2 COLLATE nocase;
SELECT nosuch1 IS (nosuch2);
SELECT nosuch1 IS r.nosuch2 FROM r;
SELECT a FROM r WHERE nosuch1 + 1 IS NOT nosuch2;
SELECT a FROM r WHERE a IS true;
SELECT ifnull(- nosuch NOT IN (1));
SELECT ifnull(nosuch IN (1));
SELECT ifnull(nosuch);
SELECT ifnull(nosuch) + nosuch2;
SELECT abs(nosuch + 1, 2);
SELECT nosuch + ifnull(1);
SELECT nofunc(1 + nosuch);
SELECT nofunc(nosuch);
SELECT count(nosuch, 1);
SELECT a FROM r WHERE ifnull(-nosuch);
SELECT a FROM r ORDER BY abs(-a, 2);
