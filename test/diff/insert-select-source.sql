-- INSERT … SELECT: rows stream into the table unless the SELECT reads it
-- (directly, through a view, a CTE, a subquery or an index) or something the
-- insert runs (triggers, upsert, RETURNING, foreign keys) could see them.
create table t(a integer primary key, b, c);
create index t_c on t(c);
insert into t(b, c) select value, value % 3 from generate_series(1, 5);
insert into t(b, c) select b * 10, c from t;
select count(*), sum(b) from t;
create view v as select b from t where b < 100;
insert into t(b, c) select b + 1000, 9 from v;
select count(*), sum(b) from t;
with w as (select max(b) m from t) insert into t(b, c) select m + 1, 8 from w;
select max(b) from t;
create table u(x);
insert into u select value from generate_series(1, 4);
insert into t(b, c) select x, 7 from u where x not in (select c from t);
select b, c from t where c = 7 order by b;
insert into t(b, c) select x, (select count(*) from t where c = 7) from u;
select b, c from t where b <= 4 order by rowid;
create table log(n);
create trigger tr after insert on u begin insert into log values (new.x); end;
insert into u select x + 10 from u;
select count(*), sum(x) from u;
select count(*) from log;
create table p(id integer primary key, n);
insert into p select a, b from t order by a desc limit 3;
select * from p order by id;
insert into p select a, b from t limit 2 offset 1 on conflict(id) do update set n = -excluded.n;
select * from p order by id;
insert or replace into p select id, n * 2 from p returning id, n;
select distinct c from t order by 1;
insert into u select distinct c from t;
select count(*) from u;
insert into t(b, c) select value, 'x' from generate_series(1, 3) union all select 'y', 'z';
select b, c from t where c in ('x', 'z') order by rowid;
