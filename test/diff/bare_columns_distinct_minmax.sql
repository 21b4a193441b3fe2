-- Bare columns beside min(DISTINCT x) or max(DISTINCT x): the call looks only
-- at a row whose value is new to the group (a repeated one, NULL included,
-- is not stepped), and what the last call to look said still decides.
create table t(a integer, b, g integer);
insert into t values(1,10,1),(2,30,1),(3,20,1),(4,30,2),(5,null,2),(6,40,2),(7,null,2),(8,40,2);
select a, max(distinct b) from t;
select a, min(distinct b) from t;
select a, max(distinct 1) from t;
select a, count(*), max(distinct b) from t;
select a, avg(distinct b), max(distinct 1) from t;
select a, max(b), min(distinct b) from t;
select a, min(distinct b), max(b) from t;
select a, count(distinct b), max(distinct b) from t;
select g, a, max(distinct b) from t group by g;
select g, a, min(distinct b), max(distinct g) from t group by g;
select a, max(distinct b) from t where a > 3;
