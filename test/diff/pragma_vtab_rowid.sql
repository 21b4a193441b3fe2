-- A pragma's table-valued function numbers its rows from 1: rowid is true in WHERE.
CREATE TABLE t1(a, b);
CREATE INDEX i1 ON t1(b);
SELECT rowid, * FROM pragma_cache_size;
SELECT 'xyz' FROM pragma_cache_size WHERE rowid;
SELECT DISTINCT 'xyz' FROM pragma_cache_size WHERE rowid OR abs(0) ORDER BY 1, 1, 1;
SELECT rowid, name FROM pragma_table_info('t1');
SELECT rowid, name FROM pragma_index_list('t1');
SELECT max(rowid), count(*) FROM pragma_table_list;
SELECT rowid, * FROM pragma_integrity_check;
SELECT name FROM pragma_table_info('t1') WHERE rowid = 2;
