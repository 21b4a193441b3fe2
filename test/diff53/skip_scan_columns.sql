-- Skip-scans over more than one leading column ("ANY(a) AND ANY(b) AND c=?"), each skipped column taking its values
-- in turn while sqlite_stat1 has 18 or more rows per value of the columns before it, and the order they give an
-- ORDER BY on the skipped columns (no sort); a range after them estimated from the sqlite_stat4 samples.
create table t1(a text, b int, c int, d int);
create index t1abc on t1(a, b, c);
insert into t1 values ('abc', 123, 4, 5), ('abc', 234, 5, 6), ('abc', 234, 6, 7), ('abc', 345, 7, 8), ('def', 567, 8, 9), ('def', 345, 9, 10), ('bcd', 100, 6, 11), (null, 100, 6, 12), ('abc', null, 6, 13), ('abc', null, null, 14);
analyze;
delete from sqlite_stat1;
insert into sqlite_stat1 values ('t1', 't1abc', '10000 5000 2000 10');
analyze sqlite_schema;
explain query plan select a, b, c, d from t1 where c = 6 order by a, b, c;
select a, b, c, d from t1 where c = 6 order by a, b, c;
explain query plan select a, b, c, d from t1 where c = 6;
select a, b, c, d from t1 where c = 6 order by d;
explain query plan select a, b, c, d from t1 where c = 6 order by b;
select a, b, c, d from t1 where c = 6 order by b, d;
explain query plan select a, b, c, d from t1 where c between 6 and 7 order by a, b, c;
select a, b, c, d from t1 where c between 6 and 7 order by a, b, c;
explain query plan select a, b, c, d from t1 where c > 5 and c <= 8 order by a, b, c;
select a, b, c, d from t1 where c > 5 and c <= 8 order by a, b, c;
explain query plan select a, b, c, d from t1 where b = 345 order by a;
select a, b, c, d from t1 where b = 345 order by a;
explain query plan select a, b, c, d from t1 where b = 345 order by a, c;
select a, b, c, d from t1 where b = 345 order by a, c;
explain query plan select a from t1 where b = 345 order by a;
explain query plan select count(*) from t1 where c = 6;
select count(*) from t1 where c = 6;
explain query plan select a, b, c, d from t1 where c is null;
select a, b, c, d from t1 where c is null order by d;
update sqlite_stat1 set stat = '10000 5000 17 10';
analyze sqlite_schema;
explain query plan select a, b, c, d from t1 where c = 6;
select a, b, c, d from t1 where c = 6 order by d;
update sqlite_stat1 set stat = '10000 5000 2000 10';
analyze sqlite_schema;
explain query plan select a, b, c, d from t1 where b is null;
select a, b, c, d from t1 where b is null order by d;
explain query plan select a, b, c, d from t1 where b is 345;
select a, b, c, d from t1 where b is 345 order by d;
explain query plan select a, b, c, d from t1 where c is ?; -- params: [null]
select a, b, c, d from t1 where c is ? order by d; -- params: [null]
