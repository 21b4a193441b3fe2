-- UPDATE … FROM (SQLite 3.33+): the target joined with the FROM items; a
-- target row matching several joined rows takes the last one's values.
create table t(a integer primary key, b, c);
create table u(x, y);
insert into t values(1,10,'a'),(2,20,'b'),(3,30,'c');
insert into u values(1,100),(2,200),(2,201),(5,500),(1,99);
update t set b = u.y from u where u.x = t.a;
select * from t order by a;
update t set b = y from u where x = a returning *;
update t set b = u.y from u where u.x = t.a returning u.y;
update t set b = 1 from t;
update t set b = 1 from u as t;
update t as q set b = 1 from t;
update t as q set b = 1 from u as q;
update t set b = 1 from main.t;
update t set b = 1 from t as t;
update t set b = 1 from (select 1) as t;
update t set b = 1 from t as t2 where t2.a = t.a returning b;
update t as q set b = u.y + 1 from u where u.x = q.a returning b;
update t as q set b = 0 from u where u.x = t.a;
update t set b = 1 from u where u.nope = 1;
update t set b = 1 from u where b = 1;
select changes();
update t set b = 7 from (select 2 as x) as s where s.x = a returning *;
update t set b = s.m from (select x, max(y) as m from u group by x) s where s.x = t.a returning *;
update t set b = 5 from u left join t t2 on t2.a = u.x where u.x = t.a returning *;
update t set b = u.x from u, u as u2 where u.x = u2.x and u.x = t.a returning *;
update t set b = u.x + u2.y from u join u as u2 on u2.x = u.x + 3 where u.x = t.a - 1 returning *;
with c(z) as (select 3) update t set b = z from c where a = z returning *;
update t set (b, c) = (u.y, u.x) from u where u.x = t.a returning *;
update t set c = j.value from json_each('["p","q","r"]') j where j.key + 1 = t.a returning *;
update t set a = a + 10 from u where u.x = t.a returning *;
select * from t order by a;
update or ignore t set a = 12 from u where t.a = 11 returning *;
update t set a = 12 from u where t.a = 11 returning *;
update t set b = 'none' from u where u.x = 1000 returning *;
update t set b = b + 1 from (select 1 union all select 2 union all select 3) returning a, b;
-- WITHOUT ROWID target
create table w(k text primary key collate nocase, v) without rowid;
insert into w values('a',1),('B',2);
update w set v = u.y from u where u.x = w.v returning *;
update w set k = k || k, v = u.x from u where u.y = w.v returning *;
select * from w order by k;
-- triggers fire once per target row, in key order
create table log(m);
create trigger tr after update on t begin insert into log values(old.b || '->' || new.b); end;
create trigger trb before update on t begin insert into log values('before ' || old.a); end;
update t set b = u.y from u where u.x + 10 = t.a;
select * from log order by rowid;
-- UPDATE … FROM inside a trigger body, with NEW
create table cmd(id, val);
create trigger tc after insert on cmd begin update u set y = new.val from t where t.a = u.x + 10 and u.x = new.id; end;
insert into cmd values(2, 'two');
select * from u order by rowid;
-- a failing row undoes the whole statement
create table k(a integer primary key, b unique);
insert into k values(1,1),(2,2),(3,3);
update k set b = u.x from u where u.x = k.a + 1;
select * from k order by a;
update k set b = k.b * 10 from u where u.x = k.a returning *;
select * from k order by a;
-- the FROM item may be a view or a CTE of several rows
create view vu as select x, y from u where x < 5;
update k set b = vu.x * 100 from vu where vu.x = k.a returning *;
with m(a, b) as (values(1, 'm1'), (3, 'm3')) update k set b = m.b from m where m.a = k.a returning *;
