-- Skip-scans weighed against the full scan by SQLite 3.53's own costs once ANALYZE has counted the rows: one
-- seek per value of the skipped column, each finding its share of the rows, at 1.375 times the cost, a range on the
-- next column estimated from the sqlite_stat4 samples (skipscan5.test's queries).
create table t1(a int, b int, c int);
create index i1 on t1(a, b);
insert into t1 select (x * 7 + x / 3) % 4 + 1, (x * 13 + x / 7) % 20 + 1, null from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 999) select x from r);
analyze;
explain query plan select * from t1 where b = 5;
explain query plan select * from t1 where b > 12 AND b < 16;
explain query plan select * from t1 where b > 2 AND b < 16;
explain query plan select * from t1 where b > 18 AND b < 25;
explain query plan select * from t1 where b > 16;
explain query plan select * from t1 where b > 5;
explain query plan select * from t1 where b < 15;
explain query plan select * from t1 where b < 5;
explain query plan select * from t1 where 5 > b;
explain query plan select * from t1 where b = '5';
explain query plan select * from t1 where b > '12' AND b < '16';
explain query plan select * from t1 where b > '2' AND b < '16';
explain query plan select * from t1 where b > '18' AND b < '25';
explain query plan select * from t1 where b > '16';
explain query plan select * from t1 where b > '5';
explain query plan select * from t1 where b < '15';
explain query plan select * from t1 where b < '5';
explain query plan select * from t1 where '5' > b;
explain query plan select * from t1 where b < 3;
explain query plan select * from t1 where b <= 5;
explain query plan select * from t1 where b >= 17;
explain query plan select * from t1 where b between 6 and 9;
select count(*), sum(a), sum(b) from t1 where b < 5;
select count(*), sum(a), sum(b) from t1 where b > 12 and b < 16;
select a, b from t1 where b = 5 and a < 3 order by a, b limit 5;
