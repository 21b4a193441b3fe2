-- Indexes, triggers, tables and views name themselves apart: dropping the
-- index i must leave the trigger i (and the table and view named as other
-- triggers) in place, still firing.
create table item(a, b);
create table note(x);
create table also(a);
create view seen as select * from item;
create index also on item(b);
create index i on item(a);
create trigger i after delete on item begin insert into note values ('deleted ' || old.a); end;
create trigger seen after insert on item begin insert into note values ('inserted ' || new.a); end;
create trigger also after update on item begin insert into note values ('updated ' || new.a); end;
drop index i;
drop index also;
select type, name, tbl_name from sqlite_schema order by type, name;
insert into item values (1, 2);
update item set a = 3;
delete from item;
select * from note;
drop view seen;
drop table also;
select type, name from sqlite_schema order by type, name;
