-- Several JSON calls on one row's document (parsed once per statement and
-- found again by its text): rows whose documents differ only in a byte,
-- documents of one length, a malformed document between good ones, more
-- documents per row than the cache holds, and edits beside lookups.
create table d(id integer primary key, a text, b text, c text, e text, f text);
insert into d values
  (1, '{"k":1,"s":"x"}', '{"k":2,"s":"y"}', '[1,2,3]', '{"n":{"m":5}}', '"str"'),
  (2, '{"k":1,"s":"y"}', '{"k":1,"s":"x"}', '[3,2,1]', '{"n":{"m":6}}', '17'),
  (3, '{"k":3,"s":"x"}', '{"k":3,"s":"x"}', '[]', '{"n":null}', 'null'),
  (4, '{"k":1,"s":"x"}', '{"k":2,"s":"y"}', '[1,2,3]', '{"n":{"m":5}}', '"str"');
select id, json_extract(a, '$.k'), a ->> '$.s', json_extract(b, '$.k'), b -> '$.s', json_extract(a, '$.k', '$.s'),
       json_array_length(c), c ->> 0, json_type(e, '$.n'), e ->> '$.n.m', json_type(f), json_extract(f, '$')
  from d order by id;
select id, json_set(a, '$.k', 99), json_extract(a, '$.k'), json_remove(a, '$.s'), a ->> 'k' from d order by id;
select id, json_extract(x, '$.k') from (select id, a as x from d union all select 10 + id, b from d) order by id;
insert into d values (5, '{"k":1,"s":"x"', '{"k":2}', '[1]', '{}', '1');
select id, json_extract(b, '$.k') from d order by id;
select id, json_extract(a, '$.k') from d order by id;
select id, json_extract(b, '$.k'), json_extract(a, '$.k') from d where id = 5;
select id, json_valid(a), json_extract(b, '$.k') from d order by id;
delete from d where id = 5;
select json_extract(v, '$.a'), v ->> 'a', json_extract(v, '$.b') from (select '{"a":1, "b":[1,2]}' v union all select '{"a":2, "b":{}}' union all select '{"a":1, "b":[1,2]}' union all select '{ "a" : 3 }');
select json_extract(' {"a":1} ', '$.a'), json_extract('{"a":1}', '$.a'), json_extract(x'7b7d', '$'), json_extract(jsonb('{"a":4}'), '$.a'), jsonb('{"a":4}') ->> 'a';
select json_extract('{a:1, /* c */ b:0x10,}', '$.b'), json_extract('{a:1, /* c */ b:0x10,}', '$.a'), json('{a:1, /* c */ b:0x10,}');
select json_extract('{"s":"a\"b\\c\u00e9\n"}', '$.s'), json_extract('{"s":"tab	in"}', '$.s'), json_extract('{"s":' || char(39) || 'q"x' || char(39) || '}', '$.s');
