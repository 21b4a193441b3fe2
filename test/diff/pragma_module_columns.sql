-- table_info and table_xinfo of the built-in table-valued functions: their
-- columns untyped, the HIDDEN ones (the arguments) only in table_xinfo, in
-- the PRAGMA and in its function form, whatever ran before on the connection.
PRAGMA table_info(generate_series);
PRAGMA table_xinfo(generate_series);
SELECT name, hidden FROM pragma_table_xinfo('generate_series') ORDER BY cid;
SELECT count(*) FROM pragma_table_info('json_tree');
PRAGMA table_xinfo(json_each);
SELECT cid, name, type, hidden FROM pragma_table_xinfo('json_tree') WHERE hidden;
SELECT count(*) FROM pragma_table_info('json_each');
SELECT * FROM pragma_table_info('no_such_module');
CREATE TABLE json_each(a, b);
PRAGMA table_info(json_each);
SELECT * FROM pragma_table_info('json_each');
SELECT name FROM pragma_table_info('generate_series') JOIN (SELECT 1);
