-- After ANALYZE an index equality is weighed against a full scan by SQLite 3.53's own costs: it seeks unless its
-- entries and row lookups cost as much as the scan (about half the rows, nearly all through a covering index),
-- whichever index the estimate comes from (sqlite_stat1 averages, sqlite_stat4 samples).
create table h2(a, b, c, d);
create index h2ab on h2(a, b);
insert into h2 select x % 2, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 49) select x from r);
create table h3(a, b, c, d);
create index h3ab on h3(a, b);
insert into h3 select x % 3, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 50) select x from r);
create table q(a, b, c, d);
create index qab on q(a, b);
insert into q select x % 4, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 99) select x from r);
create table w(a, b, c, d);
create index wab on w(a, b);
insert into w select x % 60, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 59) select x from r);
create table big(a, b, c, d);
create index bigab on big(a, b);
insert into big select x % 2, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 999) select x from r);
create table big3(a, b, c, d);
create index big3ab on big3(a, b);
insert into big3 select x % 3, x, x * 2, 'row' || x from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 998) select x from r);
analyze;
select tbl, idx, stat from sqlite_stat1 order by tbl, idx;
explain query plan select * from h2 where a = 1;
explain query plan select a, b from h2 where a = 1;
explain query plan select * from h2 where a = 1 and d > 'row5';
explain query plan select * from h2 where a = ?; -- params: [1]
explain query plan select * from h2 where a = 1 and b > 10;
select count(*), sum(b) from h2 where a = 1;
explain query plan select * from h3 where a = 1;
explain query plan select a, b from h3 where a = 1;
explain query plan select * from h3 where a = 1 and d > 'row5';
explain query plan select * from h3 where a = ?; -- params: [1]
explain query plan select * from h3 where a = 1 and b > 10;
select count(*), sum(b) from h3 where a = 1;
explain query plan select * from q where a = 1;
explain query plan select a, b from q where a = 1;
explain query plan select * from q where a = 1 and d > 'row5';
explain query plan select * from q where a = ?; -- params: [1]
explain query plan select * from q where a = 1 and b > 10;
select count(*), sum(b) from q where a = 1;
explain query plan select * from w where a = 1;
explain query plan select a, b from w where a = 1;
explain query plan select * from w where a = 1 and d > 'row5';
explain query plan select * from w where a = ?; -- params: [1]
explain query plan select * from w where a = 1 and b > 10;
select count(*), sum(b) from w where a = 1;
explain query plan select * from big where a = 1;
explain query plan select a, b from big where a = 1;
explain query plan select * from big where a = 1 and d > 'row5';
explain query plan select * from big where a = ?; -- params: [1]
select count(*), sum(b) from big where a = 1;
explain query plan select * from big3 where a = 1;
explain query plan select a, b from big3 where a = 1;
explain query plan select * from big3 where a = 1 and d > 'row5';
explain query plan select * from big3 where a = ?; -- params: [1]
explain query plan select * from big3 where a = 1 and b > 10;
select count(*), sum(b) from big3 where a = 1;
create table c1(a, b, c, d);
create index c1ab on c1(a, b);
create index c1cd on c1(c, d);
insert into c1(a, b) select 1 + (x >= 16), char(97 + x % 16) from (with recursive r(x) as (values(0) union all select x + 1 from r where x < 24) select x from r);
insert into c1(c, d) select a, b from c1;
analyze;
explain query plan select * from c1 where a = 1 and c > 0;
select * from c1 where a = 1 and c > 0 order by 1, 2, 3, 4;
explain query plan select * from c1 where a = 1 and c >= 1;
select * from c1 where a = 1 and c >= 1 order by 1, 2, 3, 4;
explain query plan select * from c1 where a = 1 and c > 1;
select * from c1 where a = 1 and c > 1 order by 1, 2, 3, 4;
explain query plan select * from c1 where a = 1 and (c, +b) > (1, 'c');
select * from c1 where a = 1 and (c, +b) > (1, 'c') order by 1, 2, 3, 4;
explain query plan select * from c1 where a = 1;
select * from c1 where a = 1 order by 1, 2, 3, 4;
explain query plan select * from c1 where a = 1 and c = 2;
select * from c1 where a = 1 and c = 2 order by 1, 2, 3, 4;
