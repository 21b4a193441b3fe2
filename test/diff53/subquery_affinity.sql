-- A FROM subquery's, CTE's or view's expression column has no affinity in
-- comparisons (SQLite 3.53): text = (expression) applies TEXT to the
-- expression; a compound's column whose arms disagree compares as BLOB.
create table t1(a integer primary key, b, c text);
insert into t1 values(1, 4, '4'), (2, 5, 'x'), (3, null, '3');
create view vv as select c as u, b + 0 as v, a - 2 as w from t1;
select count(*) from (select c as u, b + 0 as v from t1) where u = v;
with s(u, v) as (select c, b + 0 from t1) select count(*) from s where u = v;
with s(u, v) as materialized (select c, b + 0 from t1) select count(*) from s where u = v;
with s(u, v) as not materialized (select c, b + 0 from t1) select u, v from s where u = v;
select count(*) from vv where u = v;
select u, w from vv where u > w order by 1;
select count(*) from (select c as u, b + 0 as v from t1 union all select 1, 2) where u = v;
select count(*) from (select c as u, b + 0 as v from t1 limit 5) where u = v;
select count(*) from t1 where c in (select b + 0 from t1);
select a from t1 where (c, 1) in (select b + 0, 1 from t1) order by 1;
select x.u, y.v from (select c as u from t1) x join (select a + 1 as v from t1) y on x.u = y.v order by 1;
