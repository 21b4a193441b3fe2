-- count(), sum(), total() and avg() over every kind of input (3.53 sums: an
-- int64 overflow is forgiven once a non-integer input follows it), in orders that
-- move a sum from exact integers to doubles at different points: the VM steps
-- the common inputs itself and hands the rest to the functions.
create table a(g, v);
insert into a values(1, 1), (1, 2), (1, null), (1, 3), (2, 1.5), (2, 2), (2, null), (2, 3), (3, 9223372036854775807), (3, 1), (3, 0.5), (4, 9223372036854775807), (4, 1), (5, '7'), (5, 2), (5, 'x'), (5, x'01'), (6, 1), (6, 2.5), (6, 3), (6, -2.5), (7, -9223372036854775808), (7, -1), (7, 1.0), (8, null), (9, 2), (9, 2), (9, 2.0);
select g, count(*), count(v), typeof(sum(v)), sum(v), total(v), avg(v) from a where g not in (4) group by g;
select sum(v) from a where g = 4;
select count(*), count(v), total(v), avg(v) from a;
select g, count(distinct v), sum(distinct v), avg(distinct v) from a where g in (1, 2, 9) group by g;
select g, sum(v) filter (where v > 1), count(v) filter (where v > 1) from a where g in (1, 2, 6) group by g;
select sum(v), avg(v), count(v) from a where g = 8;
select sum(x), avg(x), total(x), count(x) from (select 1e308 as x union all select 1e308);
select sum(x), typeof(sum(x)) from (select 4611686018427387904 as x union all select 4611686018427387904 union all select -1.0);
select sum(x) from (select 4611686018427387904 as x union all select 4611686018427387904);
