-- DROP TABLE and DROP VIEW of a name only an eponymous virtual table (a
-- table-valued function) has: refused as SQLite refuses it, even with IF
-- EXISTS, where a name nothing has is "no such table"; a real table of that
-- name is dropped as usual.
drop table dbstat;
drop table json_each;
drop table json_tree;
drop table pragma_table_info;
drop table generate_series;
drop table if exists dbstat;
drop table main.json_each;
drop view dbstat;
drop view if exists json_each;
drop table nosuch;
drop table if exists nosuch;
drop view nosuch;
create table json_tree(a);
drop table json_tree;
select count(*) from sqlite_schema;
