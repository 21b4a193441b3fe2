-- ADD COLUMN with a REFERENCES clause naming more than one parent column is refused as the column is
-- parsed: the message of CREATE TABLE, before the checks of the finished column (PRIMARY KEY, NOT NULL)
CREATE TABLE t(a, c);
CREATE TABLE s(a);
ALTER TABLE s ADD COLUMN c REFERENCES t(a, c);
ALTER TABLE s ADD COLUMN c INTEGER REFERENCES t(a, c) NOT NULL;
ALTER TABLE s ADD COLUMN c PRIMARY KEY REFERENCES t(a, c);
ALTER TABLE s ADD COLUMN a REFERENCES t(a, c);
ALTER TABLE s ADD COLUMN d REFERENCES t(a);
ALTER TABLE s ADD COLUMN e REFERENCES t;
SELECT sql FROM sqlite_schema WHERE name = 's';
