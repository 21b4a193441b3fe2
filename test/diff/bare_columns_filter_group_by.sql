-- Under GROUP BY, each min() or max() with a FILTER first says "not the
-- extreme row" unless the row is its group's first, before its FILTER is
-- tested; without GROUP BY only when every min() and max() has a FILTER.
create table t(a integer, b integer, g integer);
insert into t values(0,null,2),(1,3,1),(2,2,1),(3,null,2),(4,2,2),(5,3,1),(6,5,2),(7,null,2),(8,1,2),(9,4,1);
select g, a, min(b), max(1) filter (where a > 3) from t group by g;
select g, a, max(b), min(1) filter (where g = 1) from t group by g;
select g, a, min(1) filter (where g = 1), max(b) from t group by g;
select g, a, max(distinct 1), min(1) filter (where b is not null) from t group by g;
select g, a, max(b) filter (where a < 5), min(b) filter (where a > 5) from t group by g;
select a, max(b), min(b) filter (where a = 3) from t;
select a, max(b) filter (where a < 4), min(b) filter (where a > 6) from t;
