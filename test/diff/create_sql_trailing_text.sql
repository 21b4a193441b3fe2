-- The text SQLite stores for CREATE INDEX, and for CREATE TABLE with table
-- options, runs up to the ';' that ends the statement: spaces and comments
-- before it are kept.  Plain CREATE TABLE, VIEW and TRIGGER end at their last
-- token.
CREATE TABLE t(a, b)  ;
CREATE TABLE t2(a PRIMARY KEY, b) WITHOUT ROWID   ;
CREATE TABLE t3(a INT, b ANY) STRICT /* strict */ ;
CREATE INDEX i1 ON t(a) ;
CREATE UNIQUE INDEX i3 ON t(b) WHERE b > 0   /* partial */  ;
CREATE INDEX IF NOT EXISTS i4 ON t(a, b) -- why
;
CREATE VIEW v AS SELECT 1  ;
CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT 1; END  ;
SELECT name, '[' || sql || ']' FROM sqlite_master ORDER BY rowid;
ALTER TABLE t RENAME TO u;
SELECT name, '[' || sql || ']' FROM sqlite_master ORDER BY rowid;
PRAGMA integrity_check;
