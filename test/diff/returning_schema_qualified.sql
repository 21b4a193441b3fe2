-- RETURNING resolves names against the changed table alone: a database-qualified
-- name (schema.table.column) is no such column there, while WHERE still takes it.
create table s(a,b);
INSERT INTO main.s VALUES(1,2) RETURNING s.a;
INSERT INTO main.s VALUES(1,2) RETURNING main.s.a;
INSERT INTO s VALUES(1,2) RETURNING main.s.b;
UPDATE s SET a=1 WHERE main.s.a=1 RETURNING main.s.a;
DELETE FROM s RETURNING main.s.a;
INSERT INTO s VALUES(1,2) ON CONFLICT DO NOTHING RETURNING temp.s.b;
DELETE FROM s WHERE main.s.a=1 RETURNING s.a;
create view v as select 1 x;
create trigger tr instead of insert on v begin select 1; end;
insert into v values(1) returning main.v.x;
insert into v values(1) returning v.x;
