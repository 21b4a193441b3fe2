-- Where CREATE INDEX's unknown names stand (the shell shows sqlite3_error_offset).
CREATE TABLE ie(a, b, "c d");
CREATE INDEX ie1 ON ie(zz);
CREATE INDEX ie2 ON ie(a, nosuch);
CREATE INDEX ie3 ON ie(a) WHERE zz > 1;
CREATE INDEX ie4 ON ie(a + zz);
CREATE INDEX ie5 ON ie(a, b DESC, lower(q));
CREATE INDEX ie6 ON ie(qq) WHERE rr > 1;
CREATE INDEX ie7 ON ie(a COLLATE nocase, b) WHERE ie.b > 0;
CREATE INDEX ie8 ON ie(a) WHERE other.b > 0;
CREATE INDEX ie9 ON ie("c d", "e f");
CREATE INDEX ie10 ON nosuchtab(a);
SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name;
CREATE INDEX ie11 ON ie(a + qq) WHERE rr > 1;
CREATE INDEX ie12 ON ie(a, qq) WHERE rr > 1;
CREATE INDEX ie13 ON ie(pp, a + qq) WHERE rr > 1;
CREATE INDEX ie14 ON ie(a + qq, pp);
