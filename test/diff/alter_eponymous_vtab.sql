-- ALTER TABLE on an eponymous virtual table (a table-valued function named alone): refused as SQLite refuses it.
ALTER TABLE pragma_compile_options ADD COLUMN col2;
ALTER TABLE pragma_compile_options RENAME TO flubber;
ALTER TABLE pragma_table_info RENAME start TO flubber;
ALTER TABLE pragma_compile_options DROP COLUMN start;
ALTER TABLE json_each ADD COLUMN x;
ALTER TABLE json_each RENAME TO j;
ALTER TABLE main.json_tree DROP COLUMN key;
ALTER TABLE temp.json_each RENAME TO j;
ALTER TABLE no_such_thing RENAME TO j;
CREATE TABLE json_each(a);
ALTER TABLE json_each ADD COLUMN b;
SELECT sql FROM sqlite_master;
ATTACH ':memory:' AS aux;
ALTER TABLE aux.json_each RENAME TO j;
ALTER TABLE zzz.json_each RENAME TO j;
