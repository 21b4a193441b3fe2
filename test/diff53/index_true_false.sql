-- TRUE and FALSE in an index's expressions and a partial index's WHERE are the
-- boolean constants unless the table has a column of that name; an index so
-- written must be accepted (and a schema holding one must load).
create table task(id integer primary key, done, title);
insert into task(done, title) values (1, 'a'), (0, 'b'), (null, 'c'), (2, 'd'), ('true', 'e');
create index task_open on task(title) where done is not true;
select title from task where done is not true and title >= 'a' order by title;
select title from task where done is true order by title;
create index task_flag on task(title) where done = false;
select title from task where done = false and title > '' order by title;
create index task_expr on task((done is true) + false);
select id, (done is true) + false from task where (done is true) + false = 1 order by id;
create table odd("true", v);
insert into odd values (0, 1), (1, 2);
create index odd_v on odd(v) where true;
select v from odd where true and v > 0 order by v;
create index odd_x on odd(v) where nosuch is true;
pragma integrity_check;
