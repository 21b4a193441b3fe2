-- "(d, e) BETWEEN (x, y) AND (p, q)" bounds an index range from both sides, as "(d, e) >= (x, y)" and
-- "(d, e) <= (p, q)" do, after equalities on the columns before; the term itself is still tested.
create table e1(a, b, c, d, e);
create index e1ab on e1(a, b);
create index e1cde on e1(c, d, e);
insert into e1 select x % 3, x % 5, x % 2, x % 7, x % 4 from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 99) select x from r);
insert into e1 values (null, null, 1, null, 2), (1, 1, 1, 3, null), (1, 1, 1, null, null);
explain query plan select * from e1 where (d, e) between (?, ?) and (?, ?) and c = ?; -- params: [2, 1, 5, 2, 1]
select * from e1 where (d, e) between (?, ?) and (?, ?) and c = ? order by a, b, c, d, e; -- params: [2, 1, 5, 2, 1]
explain query plan select * from e1 where c = 1 and (d, e) between (2, 1) and (5, 2);
select * from e1 where c = 1 and (d, e) between (2, 1) and (5, 2) order by a, b, c, d, e;
explain query plan select * from e1 where c = 1 and (d, e) not between (2, 1) and (5, 2);
select count(*) from e1 where c = 1 and (d, e) not between (2, 1) and (5, 2);
explain query plan select * from e1 where (c, d) between (1, 3) and (1, 4);
select * from e1 where (c, d) between (1, 3) and (1, 4) order by a, b, c, d, e;
explain query plan select * from e1 where (c, d, e) between (0, 2, 1) and (1, 3, 0);
select count(*) from e1 where (c, d, e) between (0, 2, 1) and (1, 3, 0);
explain query plan select * from e1 where (c, +d) between (0, 2) and (1, 3);
select count(*) from e1 where (c, +d) between (0, 2) and (1, 3);
explain query plan select * from e1 where (a, b) between (1, 2) and (2, 0);
select count(*) from e1 where (a, b) between (1, 2) and (2, 0);
explain query plan select * from e1 where (b, a) between (1, 2) and (2, 0);
explain query plan select * from e1 where c = 1 and (d, e) between (2, 1) and (5, 2) order by d desc;
select d, e from e1 where c = 1 and (d, e) between (2, 1) and (5, 2) order by d desc, e desc;
