-- The row bare columns show when an index could give the aggregate's order:
-- min() and max(), DISTINCT or not, read the index's first entry (its ties
-- in index order), while a DISTINCT aggregate beside bare columns keeps its
-- set of values and takes the scan's first row.
create table t(a integer, b, c text, g integer);
create index tg on t(g, b);
create index tc on t(c);
insert into t values(0,1,'x',2),(1,5,'y',1),(2,3,'z',2),(3,null,'w',2),(4,2,'v',1),(5,null,null,null);
select a, max(g) from t;
select a, min(g) from t;
select a, max(distinct g) from t;
select a, min(distinct c) from t;
select a, count(distinct g) from t;
select a, sum(distinct g) from t where g > 0;
select b, count(distinct g) from t;
select count(distinct g), min(distinct g) from t;
