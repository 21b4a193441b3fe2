-- Column names as the header line shows them (.headers on).
.headers on
SELECT 1;
SELECT 1 + 1, 'a' || 'b', NULL, -5, x'41';
SELECT 1 AS one, 2 two, 3 AS "three";
CREATE TABLE h(a INTEGER, "b c" TEXT, D REAL);
INSERT INTO h VALUES (1, 'x', 1.5);
SELECT * FROM h;
SELECT a, "b c", d, D, h.a, h.D FROM h;
SELECT a AS A, a + 1, abs(a), count(*) FROM h;
SELECT h.* FROM h;
SELECT rowid, _rowid_, oid FROM h;
SELECT typeof(a), length("b c") AS len FROM h;
SELECT   a   +   1   FROM h;
SELECT (a), ((a)) FROM h;
SELECT 'quoted' AS [bracket name], a AS `back tick` FROM h;
.headers off
SELECT a FROM h;
