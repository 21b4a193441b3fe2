-- concat, concat_ws, octet_length, unhex, subtype, and iif/if with any
-- number of condition-value pairs (SQLite 3.44-3.48).
select iif(1, 2), iif(0, 2), iif(null, 1, 2);
select if(0, 2, 3, 4, 5), if(0, 2, 0, 4, 5), if(0, 2, 0, 4), if(1, 'a', 1, 'b');
select iif(1);
select iif(1, 'a', abs(-9223372036854775808));
select iif(0, abs(-9223372036854775808), 'b');
select concat();
select concat(null), typeof(concat(null));
select concat('a', null, 1, 2.5, x'41');
select concat_ws(',', null, 1, 'b', null), concat_ws(null, 1, 2), concat_ws('', 'a', 'b'), concat_ws('-', 1);
select concat_ws(',');
select octet_length('é'), octet_length(null), octet_length(12), octet_length(x'0102'), octet_length(1.5);
select hex(unhex('4142')), unhex('41 42'), hex(unhex('41 42', ' ')), unhex('4'), unhex(null), unhex('zz'), hex(unhex('')), typeof(unhex(''));
select hex(unhex('4 1', ' ')), hex(unhex(' 41-42 ', ' -')), hex(unhex('41é42', 'é')), unhex('41', null), hex(unhex('aBcD'));
select subtype(json('[1]')), subtype(1), subtype(json_array(1)), subtype('x'), subtype(null);
create table t(a, b);
insert into t values(1, 'x'), (null, 'y'), (0, null);
select a, iif(a, 'yes', b, 'b', 'none'), concat(a, b), concat_ws('/', a, b, a) from t order by rowid;
