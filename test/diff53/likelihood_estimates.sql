-- likelihood(x, p), likely(x) and unlikely(x) around a WHERE term: the term x still seeks an index, and its share of
-- rows replaces the planner's estimate of the equality (in SQLite's LogEst steps) and of the rows the level passes on.
create table t1(a, b);
create index i1 on t1(a);
create index i2 on t1(b);
insert into t1 values (1, 2), (1, 3), (2, 2), (3, null), (null, 1);
explain query plan select * from t1 where likelihood(a = ?, 0.014); -- params: [1]
select * from t1 where likelihood(a = ?, 0.014) order by b; -- params: [1]
explain query plan select * from t1 where likely(a = 1);
select * from t1 where likely(a = 1) order by b;
explain query plan select * from t1 where unlikely(a = 1);
explain query plan select * from t1 where likelihood(a = ?, 0.014) and b between ? and ?; -- params: [1, 2, 3]
select * from t1 where likelihood(a = ?, 0.014) and b between ? and ?; -- params: [1, 2, 3]
explain query plan select * from t1 where likelihood(a = ?, 0.016) and b between ? and ?; -- params: [1, 2, 3]
select * from t1 where likelihood(a = ?, 0.016) and b between ? and ?; -- params: [1, 2, 3]
explain query plan select * from t1 where likelihood(a > ?, 0.016); -- params: [1]
explain query plan select * from t1 where a = 1 and likelihood(b = 2, 0.5);
explain query plan select * from t1 where likelihood(a = 1, 0.9) and b = 2;
explain query plan select * from t1 where likelihood(a = 1, 0.0001) and b = 2;
explain query plan select * from t1 where likelihood(likelihood(a = 1, 0.9), 0.0001) and b = 2;
explain query plan select * from t1 where likelihood(a = 1 and b = 2, 0.0001);
select * from t1 where likelihood(a = 1 and b = 2, 0.0001);
select * from t1 where likelihood(a = 1, 2.0);
select * from t1 where likelihood(a = 1, 1);
create table t9(a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t);
create index i9 on t9(k, l, m, n, o, p, q, r, s, t);
insert into t9(a) select null from (with recursive c(x) as (values(1) union all select x + 1 from c where x < 100) select x from c);
analyze;
create index i9b on t9(a, b, c, d, e, f, g, h, i, j);
explain query plan select * from t9 where likelihood(k = ?, 0.09) and a = ? and b = ?; -- params: [1, 2, 3]
explain query plan select * from t9 where likelihood(k = ?, 0.11) and a = ? and b = ?; -- params: [1, 2, 3]
explain query plan select * from t9 where likelihood(k = ?, 0.06) and a = ? and b = ? and c = ? and d = ? and e = ?; -- params: [1, 2, 3, 4, 5, 6]
explain query plan select * from t9 where likelihood(k = ?, 0.08) and a = ? and b = ? and c = ? and d = ? and e = ?; -- params: [1, 2, 3, 4, 5, 6]
create table t6(a, b, c);
create index t6i1 on t6(a, b);
create index t6i2 on t6(c);
insert into t6 select x % 4, 'xyz', x % 8 from (with recursive c(x) as (values(0) union all select x + 1 from c where x < 15) select x from c);
analyze;
explain query plan select rowid from t6 where a = 0 and c = 0;
explain query plan select rowid from t6 where likelihood(a = 0, 0.1) and c = 0;
select rowid from t6 where likelihood(a = 0, 0.1) and c = 0;
explain query plan select rowid from t6 where likelihood(a = 0, 0.1) and b = 'xyz' and c = 0;
create table j1(x, y);
create table j2(x, y);
create index j2x on j2(x);
explain query plan select * from j1, j2 where j1.x = j2.x and unlikely(j1.y = 5);
explain query plan select * from j1, j2 where j1.x = j2.x and likelihood(j2.y = 5, 0.000001);
explain query plan select * from j1, j2 where j1.x = j2.x and likelihood(j2.y = 5, 0.0000001);
explain query plan select * from j1, j2 where j1.x = j2.x and likelihood(j2.y = 5, 0.0001);
insert into j1 values (1, 5), (2, 6);
insert into j2 values (1, 5), (2, 5), (1, 6);
select * from j1, j2 where j1.x = j2.x and likelihood(j2.y = 5, 0.000001) order by 1, 2, 3, 4;
