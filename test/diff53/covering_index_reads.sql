-- A covering index must hold every column the query reads: also those that
-- a table-valued function's arguments, a FILTER clause or a window's
-- PARTITION BY / ORDER BY read (a crash before).
create table t1(a integer primary key, b, c text);
create index t1b on t1(b);
insert into t1 values(1, 2, '[1,2]'), (2, 3, '{"k":1}'), (3, null, 'x');
select t1.a, j.key, j.value from t1, json_each(case when json_valid(t1.c) then t1.c end) as j order by 1, 2;
select t1.a, j.key from t1 join json_each(t1.c) as j where t1.b > 2 order by 1, 2;
select count(b) filter (where c > '[') from t1;
select a, sum(a) over (partition by c) from t1 where b > 0 order by 1;
select a, row_number() over (order by c desc) from t1 where b is not null order by 1;
select a, max(a) over w from t1 where b > 0 window w as (partition by c) order by 1;
