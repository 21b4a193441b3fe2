-- A row-value range "(c, d) > (x, y)" is estimated from the sqlite_stat4 samples compared with the whole row value,
-- as SQLite does, and weighed against the other index and the scan (rowvalue4 3.2); on a tie of SQLite's costs
-- the path that passes on fewer rows wins.
create table c1(a, b, c, d);
insert into c1(a, b) select 1 + (x >= 16), char(97 + x % 16) from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 24) select x from r);
insert into c1(c, d) select a, b from c1;
create index c1ab on c1(a, b);
create index c1cd on c1(c, d);
analyze;
explain query plan select * from c1 where a = 1 and c = 2;
explain query plan select * from c1 where a = 1 and b > 'd' and c = 2;
explain query plan select * from c1 where a = 1 and b > 'l' and c = 2;
explain query plan select * from c1 where a = 1 and c > 1;
explain query plan select * from c1 where a = 1 and (c, d) > (1, 'c');
select * from c1 where a = 1 and (c, d) > (1, 'c');
explain query plan select * from c1 where a = 1 and (c, d) > (1, 'o');
explain query plan select * from c1 where a = 1 and (c, d) >= (1, 'o');
explain query plan select * from c1 where (c, d) > (1, 'c');
select * from c1 where (c, d) > (1, 'c') order by c, d;
explain query plan select * from c1 where (c, d) < (1, 'c');
select * from c1 where (c, d) < (1, 'c') order by c, d;
explain query plan select * from c1 where (c, d) <= (2, 'a');
explain query plan select * from c1 where (c, d) > (2, 'g');
explain query plan select * from c1 where (c, d) > (1, 'c') and (c, d) < (2, 'b');
select count(*) from c1 where (c, d) > (1, 'c') and (c, d) < (2, 'b');
explain query plan select * from c1 where (c, d) > (?, ?); -- params: [1, "c"]
explain query plan select * from c1 where (c, d) > (?, ?); -- params: [2, "g"]
explain query plan select * from c1 where a = 1 and (c, +b) > (1, 'c');
explain query plan select * from c1 where a = 1 and c > 0;
