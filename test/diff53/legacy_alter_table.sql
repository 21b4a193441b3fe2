-- PRAGMA legacy_alter_table: RENAME TO changes the table's own name and the
-- ON targets of its indexes and triggers, REFERENCES clauses only with
-- foreign_keys on, never view texts or trigger bodies (which are not checked
-- either); RENAME COLUMN rewrites as usual but fails with a bare "SQL logic
-- error" when a view or trigger does not compile.
PRAGMA foreign_keys = OFF;
PRAGMA legacy_alter_table;
PRAGMA legacy_alter_table = ON;
PRAGMA legacy_alter_table;
create table p(a primary key, b, check (b <> 'x'));
create table c(x references p(a), y);
create index pb on p(b);
create view pv as select a, b from p;
create trigger pt after insert on p begin insert into c values (new.a, 1); end;
create trigger ct after insert on c begin select a from p; end;
create temp trigger tt after delete on p begin select 1; end;
alter table p rename to p2;
select type, name, tbl_name, sql from sqlite_schema order by name;
select type, name, tbl_name, sql from sqlite_temp_schema order by name;
create view broken as select z from missing_table;
alter table c rename to c2;
select name, tbl_name, sql from sqlite_schema where name in ('c2', 'ct', 'broken') order by name;
alter table p2 rename column b to bb;
drop view pv;
drop view broken;
alter table p2 rename column b to bb;
select name, sql from sqlite_schema where name in ('p2', 'pb', 'pt') order by name;
PRAGMA foreign_keys = ON;
create table q(k primary key);
create table r(z references q(k));
create view qv as select k from q;
alter table q rename to q2;
select name, sql from sqlite_schema where name in ('q2', 'r', 'qv') order by name;
drop trigger pt;
drop trigger ct;
PRAGMA legacy_alter_table = OFF;
alter table q2 rename to q3;
