-- DEFAULT takes a sign before any literal term, as SQLite's grammar does: a signed
-- string, NULL or blob, in CREATE TABLE and in ALTER TABLE ADD COLUMN (rows written
-- before the column was added read the folded value).
create table t(a, b text default -'hello', c default +'7', d default -'3.5', e default +null, f default -null, g default -x'41', h real default -'2');
insert into t(a) values(1);
select a, b, typeof(b), c, typeof(c), d, typeof(d), e, typeof(e), f, typeof(f), g, typeof(g), h, typeof(h) from t;
alter table t add column i default -'12';
alter table t add column j text default +'x';
select i, typeof(i), j, typeof(j) from t;
insert into t(a) values(2);
select i, typeof(i), j, typeof(j) from t;
select name, dflt_value from pragma_table_info('t');
