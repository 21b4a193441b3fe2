-- ORDER BY … LIMIT through the bounded sorter: once it is full, rows that do
-- not sort before its last kept row are dropped before their record is built
-- (REAL, INTEGER, mixed, NULL and text keys, both directions, NULLS LAST,
-- collations, several key columns, OFFSET).  Only key columns are printed
-- where keys tie, so that the order among ties does not matter.
create table big(i integer primary key, y real, m, n, s text, r real, w);
with recursive c(i) as (select 1 union all select i + 1 from c where i < 3000) insert into big select i, (i * 37 % 101) / 4.0, case when i % 2 then i % 50 else (i % 50) + 0.5 end, case when i % 7 = 0 then null else i % 13 end, char(65 + i % 26 + (i % 2) * 32) || (i % 97), i % 211, case i % 3 when 0 then i % 17 when 1 then (i % 17) * 1.0 else cast(i % 17 as text) end from c;
select y from big order by y limit 7;
select y from big order by y desc limit 7;
select m from big order by m limit 9;
select m from big order by m desc limit 9;
select n from big order by n limit 5;
select n from big order by n desc limit 5;
select n from big order by n nulls last limit 5;
select n from big order by n desc nulls first limit 5;
select s from big order by s collate nocase, s limit 6;
select s from big order by s desc limit 6;
select i, y from big order by y, i limit 10;
select i, y from big order by y desc, i desc limit 10;
select i, y from big order by y, i limit 5 offset 300;
select r from big order by r limit 5;
select w, typeof(w) from big order by w, typeof(w) limit 12;
select w, typeof(w) from big order by w desc, typeof(w) limit 12;
select y * -1 from big order by y * -1 limit 5;
select count(*), sum(y), min(y), max(y) from (select y from big order by y limit 100);
select count(*), sum(y) from (select y from big order by y desc limit 250);
select i from big where y > 10 order by y, i limit 8;
select y, count(*) from big group by y order by count(*) desc, y limit 5;
select distinct y from big order by y desc limit 5;
select i, n from big order by n, i limit 12;
select i, m from big order by m desc, i limit 12;
select i from big order by i % 10, i desc limit 15;
select i, s from big order by substr(s, 1, 1), i limit 7;
