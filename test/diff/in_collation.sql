-- x IN (SELECT y …) compares as x = y would: a COLLATE on x, else on y, else x's column's collation, else y's.
CREATE TABLE il(n TEXT COLLATE NOCASE, m);
CREATE TABLE ir(b TEXT, n TEXT COLLATE NOCASE);
INSERT INTO il VALUES ('b','b');
INSERT INTO ir VALUES ('B', 'B');
SELECT count(*) FROM il WHERE il.n IN (SELECT ir.b FROM ir);
SELECT count(*) FROM il WHERE 'b' IN (SELECT ir.n FROM ir);
SELECT count(*) FROM il WHERE il.m IN (SELECT ir.n FROM ir);
SELECT count(*) FROM il WHERE il.n COLLATE BINARY IN (SELECT ir.n FROM ir);
SELECT count(*) FROM il WHERE il.m IN (SELECT ir.b COLLATE NOCASE FROM ir);
SELECT count(*) FROM il WHERE il.n NOT IN (SELECT ir.b FROM ir);
SELECT il.n IN (SELECT b FROM ir), il.m IN (SELECT b FROM ir) FROM il;
