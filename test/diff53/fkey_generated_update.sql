-- An UPDATE that changes the inputs of a generated column changes that column
-- for its foreign keys: as a child key it is checked against its parent, as a
-- parent key its children are looked for.
pragma foreign_keys = on;
create table acct(id primary key);
insert into acct values (2), (4), (6);
create table entry(n, acct_id as (n * 2) references acct, memo);
insert into entry(n, memo) values (1, 'first');
update entry set n = 5;
select n, acct_id from entry;
update entry set n = 3;
select n, acct_id from entry;
update entry set memo = 'untouched key';
select n, acct_id, memo from entry;
create table box(id integer primary key, code as (id * 10) stored unique);
insert into box(id) values (1), (2);
create table item(box_code references box(code));
insert into item values (10);
update box set id = 3 where id = 1;
update box set id = 4 where id = 2;
select id, code from box order by id;
create table chain(a, b as (a + 1), c as (b * 2) references acct);
insert into chain(a) values (0);
update chain set a = 7;
update chain set a = 2;
select a, b, c from chain;
