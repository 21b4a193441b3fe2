-- An unqualified rowid names the rowid of the one FROM item that has one (a
-- table, not a subquery nor a WITHOUT ROWID table); with two it is
-- ambiguous (SQLite 3.53; 3.40 said "no such column" for both).
create table t(a, b);
create table w(k primary key) without rowid;
insert into t values(1, 2), (3, 4);
insert into w values(9);
select 1 from t as x, t as y where rowid = 1;
select rowid from t, (select 1 as z);
select rowid from (select 1 as a) as s0 join t;
select rowid from t, w;
select rowid from t join t as u using (a);
select oid, _rowid_ from t, w order by 1;
select rowid from t left join w on 1;
select rowid from w, (select 1);
select (select rowid from w) from t;
select * from t where a in (select rowid from t as u, w);
select t.rowid, u.rowid from t, t as u order by 1, 2;
