-- INSERT … RETURNING on a virtual table (SQLite 3.53): the values given,
-- computed before the module stores the row; the rowid reads -1 unless the
-- INSERT names one; UPDATE and DELETE … RETURNING stay refused.
create virtual table r using rtree(id, x0, x1);
insert into r values(NULL, 2, 3) returning *, rowid;
insert into r(x0, x1) values(4, 5) returning id, rowid, x0;
insert into r select 10, 1, 2 union all select 11, 3, 4 returning id * 2, (select count(*) from r);
insert into r values(20, 7, 8), (21, 9, 10) returning x1 - x0 as w, id;
insert or ignore into r values(10, 1, 1) returning *;
insert into r values(1, 2, 3) returning r.*;
insert into r values(30, 1, 2) returning count(*);
update r set x1 = 10 where id = 1 returning *;
delete from r where id = 2 returning id;
select * from r order by id;
