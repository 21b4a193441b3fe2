-- CASE whose base is a subquery of several columns compares it as a row
-- value with each WHEN, as CASE (a, b) WHEN (x, y) does.
create table shape(id integer primary key, w, h);
insert into shape(w, h) values (1, 2), (2, 3), (3, 4), (1, 1);
create table pick(id integer primary key, ref);
insert into pick(ref) values (4), (3), (2), (1), (9);
select id, case (select w, h from shape where shape.id = pick.ref) when (1, 2) then 'thin' when (2, 3) then 'mid' when (1, 1) then 'square' else '-' end from pick order by id;
select case (select 2, 3) when (2, 3) then 'match' else 'none' end;
select case (select 2, 2) when (1, 1) then 'match' else 'none' end;
select case (select 1, 2) when (select 1, 2) then 'both' end;
select case (select w, h from shape where id = 1) when (1, null) then 'null-eq' else 'no' end;
select case 1 when (1, 2) then 'x' end;
select case (select 1, 2) when 1 then 'x' end;
