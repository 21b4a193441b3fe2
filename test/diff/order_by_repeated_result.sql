-- ORDER BY terms that name two result columns holding the same expression,
-- when a subquery among the results leaves the columns unresolved until the
-- row is coded: each column still reads its own value back from the sorter.
create table t1(a integer, b integer); insert into t1 values(1,2),(3,4),(5,1);
select (select count(*) from t1 as x), a+1, a+1 from t1 order by 1,2,3 desc;
select (select count(*) from t1 as x where x.b<t1.b), a+1, a+1 from t1 order by 1,2,3 desc;
select (select max(b) from t1), b*2, a, b*2 from t1 order by 4 desc, 2;
select (select 1), a+b, a+b, a+b from t1 order by 3, 2 desc, 4;
select a+1, (select count(*) from t1), a+1 from t1 order by 3 desc, 1 limit 2;
select (select count(*) from t1), a+1 as x, a+1 as y from t1 order by y, x desc;
