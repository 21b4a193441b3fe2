-- ORDER BY terms that are result columns (by name, alias, number or the same
-- expression over the same columns): the sorter stores such a value once, as
-- the key, and the row reads it back from there.  Every shape of term against
-- every output path: plain, LIMIT/OFFSET (the bounded sorter), DISTINCT, GROUP
-- BY, compound, subqueries, COLLATE on the term, a term twice, joins whose
-- columns share names.
create table t(id integer primary key, a, b text, c real, d blob);
insert into t values (1, 3, 'Bob', 1.5, x'02'), (2, 1, 'alice', 2.5, x'01'), (3, 2, 'Carol', null, null), (4, 3, 'bob', 0.5, x'0102'), (5, null, 'ALICE', 2.5, x''), (6, 2, 'dave', -1.0, x'ff'), (7, 1, null, 7, x'00');
create table u(id integer primary key, a, b text);
insert into u values (1, 2, 'x'), (2, 3, 'y'), (3, 1, 'z'), (4, 3, 'w');
select id, b from t order by b;
select id, b from t order by b desc;
select b, id from t order by b collate nocase, id;
select b, id, b from t order by b collate nocase desc, id desc;
select a, b, c from t order by a, c desc;
select a + 1, b from t order by a + 1, b;
select a + 1 as k, b from t order by k desc, b;
select a, b from t order by 2, 1;
select b, a, b from t order by b, b, a;
select id, upper(b) from t order by upper(b), id;
select id, a * c from t order by a * c, id;
select id, b from t order by b limit 3;
select id, b from t order by b limit 2 offset 2;
select id, b, a from t order by a desc, b limit 4;
select b, a from t order by b collate nocase, a limit 3 offset 1;
select distinct a, b from t order by b;
select distinct a from t order by a desc;
select a, count(*), max(b) from t group by a order by a;
select a, count(*), max(b) from t group by a order by max(b), a;
select a, sum(c) from t group by a order by sum(c) desc, a;
select t.a, u.a, t.b from t join u on t.id = u.id order by u.a, t.a;
select t.a, u.a from t join u on t.a = u.a order by t.a, u.a desc;
select u.b, t.b from t join u on t.id = u.id order by t.b, u.b;
select a, b from t union all select a, b from u order by b, a;
select a, b from t union select a, b from u order by 2 desc, 1;
select * from (select id, b from t order by b limit 5) order by id;
select id, (select count(*) from u where u.a = t.a) as n from t order by n, id;
select id, d from t order by d, id;
select id, typeof(c), c from t order by c, id;
select count(*) from (select id, b from t order by b);
select id, b from t where a > 1 order by b collate nocase limit 10;
