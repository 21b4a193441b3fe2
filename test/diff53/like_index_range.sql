-- The LIKE/GLOB optimization as SQLite 3.53 plans it: a range on an index whose collation fits
-- (NOCASE for LIKE, BINARY for GLOB and a case-sensitive LIKE) from the pattern's literal prefix,
-- whether the pattern is under a COLLATE, has no wildcard, holds escaped wildcards (a one-byte
-- ESCAPE other than a wildcard) or multi-byte characters, or is a parameter bound to text.
create table n(id integer primary key, x text collate nocase, y);
create index nx on n(x);
insert into n(x, y) values ('abcde', 1), ('ABCDEF', 2), ('abc', 3), ('ab%de', 4), ('a_cde', 5), ('uvwxy', 6), ('uvwx%', 7), ('%bcde', 8), ('abcd%', 9), ('ab%xy', 10), ('aé', 11), ('aéz', 12), ('AÉ', 13), ('a@b', 14), ('a[b', 15), ('aZ', 16), ('az', 17), ('a{', 18), ('ab/', 19), (NULL, 20), (12, 21), ('é', 22), ('ab', 23);
explain query plan select y from n where x like 'abc%' order by y;
select y from n where x like 'abc%' order by y;
explain query plan select y from n where x like 'abc%' collate nocase order by y;
select y from n where x like 'abc%' collate nocase order by y;
explain query plan select y from n where x like 'abc%' collate binary order by y;
select y from n where x like 'abc%' collate binary order by y;
explain query plan select y from n where x like 'abc' order by y;
select y from n where x like 'abc' order by y;
explain query plan select y from n where x like 'abc_' order by y;
select y from n where x like 'abc_' order by y;
explain query plan select y from n where x like 'a' order by y;
select y from n where x like 'a' order by y;
explain query plan select y from n where x like 'é%' order by y;
select y from n where x like 'é%' order by y;
explain query plan select y from n where x like 'aé%' order by y;
select y from n where x like 'aé%' order by y;
explain query plan select y from n where x like 'a@%' order by y;
select y from n where x like 'a@%' order by y;
explain query plan select y from n where x like 'az%' order by y;
select y from n where x like 'az%' order by y;
explain query plan select y from n where x like 'aZ' order by y;
select y from n where x like 'aZ' order by y;
explain query plan select y from n where x like 'ab/%d%' escape '/' order by y;
select y from n where x like 'ab/%d%' escape '/' order by y;
explain query plan select y from n where x like 'ab/%d%' escape '//' order by y;
select y from n where x like 'ab/%d%' escape '//' order by y;
explain query plan select y from n where x like 'abx%%' escape 'x' order by y;
select y from n where x like 'abx%%' escape 'x' order by y;
explain query plan select y from n where x like '/%bc%' escape '/' order by y;
select y from n where x like '/%bc%' escape '/' order by y;
explain query plan select y from n where x like '/%' escape '/' order by y;
select y from n where x like '/%' escape '/' order by y;
explain query plan select y from n where x like '/' escape '/' order by y;
select y from n where x like '/' escape '/' order by y;
explain query plan select y from n where x like 'ab/' escape '/' order by y;
select y from n where x like 'ab/' escape '/' order by y;
explain query plan select y from n where x like 'abc%' escape '%' order by y;
select y from n where x like 'abc%' escape '%' order by y;
explain query plan select y from n where x like 'abc%' escape 'b' order by y;
select y from n where x like 'abc%' escape 'b' order by y;
explain query plan select y from n where x like 'a' || 'bc%' order by y;
select y from n where x like 'a' || 'bc%' order by y;
explain query plan select y from n where x like '1%' order by y;
select y from n where x like '1%' order by y;
explain query plan select y from n where x like '%bc' order by y;
select y from n where x like '%bc' order by y;
explain query plan select y from n where x not like 'abc%' order by y;
select y from n where x not like 'abc%' order by y;
explain query plan select y from n where x glob 'abc*' order by y;
select y from n where x glob 'abc*' order by y;
explain query plan select y from n where x like ? order by y; -- params: ["ab%"]
select y from n where x like ? order by y; -- params: ["ab%"]
explain query plan select y from n where x like ? order by y; -- params: ["AB%"]
select y from n where x like ? order by y; -- params: ["AB%"]
explain query plan select y from n where x like ? order by y; -- params: [null]
select y from n where x like ? order by y; -- params: [null]
explain query plan select y from n where x like ? order by y; -- params: ["%b"]
select y from n where x like ? order by y; -- params: ["%b"]
explain query plan select y from n where x like ? escape '/' order by y; -- params: ["ab/%%"]
select y from n where x like ? escape '/' order by y; -- params: ["ab/%%"]
explain query plan select y from n where x like 'abc%' escape ? order by y; -- params: ["/"]
select y from n where x like 'abc%' escape ? order by y; -- params: ["/"]
create table b(id integer primary key, x text, y);
create index bx on b(x);
insert into b(x, y) select x, y from n;
explain query plan select y from b where x glob 'abc*' order by y;
select y from b where x glob 'abc*' order by y;
explain query plan select y from b where x glob 'abc' order by y;
select y from b where x glob 'abc' order by y;
explain query plan select y from b where x glob 'aé*' order by y;
select y from b where x glob 'aé*' order by y;
explain query plan select y from b where x glob 'a[bc]*' order by y;
select y from b where x glob 'a[bc]*' order by y;
explain query plan select y from b where x glob ? order by y; -- params: ["ab*"]
select y from b where x glob ? order by y; -- params: ["ab*"]
explain query plan select y from b where x like 'abc%' order by y;
select y from b where x like 'abc%' order by y;
pragma case_sensitive_like = on;
explain query plan select y from b where x like 'abc%' order by y;
select y from b where x like 'abc%' order by y;
explain query plan select y from b where x like 'abc' order by y;
select y from b where x like 'abc' order by y;
explain query plan select y from b where x like 'ab/%%' escape '/' order by y;
select y from b where x like 'ab/%%' escape '/' order by y;
explain query plan select y from b where x like 'aé%' order by y;
select y from b where x like 'aé%' order by y;
explain query plan select y from b where x like ? order by y; -- params: ["A%"]
select y from b where x like ? order by y; -- params: ["A%"]
explain query plan select y from n where x like 'abc%' order by y;
select y from n where x like 'abc%' order by y;
pragma case_sensitive_like = off;
create table m(id integer primary key, x collate nocase, y);
create index mx on m(x);
insert into m(x, y) select x, y from n;
explain query plan select y from m where x like 'abc%' order by y;
select y from m where x like 'abc%' order by y;
explain query plan select y from m where x like '1%' order by y;
select y from m where x like '1%' order by y;
explain query plan select y from m where x like '-%' order by y;
select y from m where x like '-%' order by y;
explain query plan select y from m where x like 'a%' order by y;
select y from m where x like 'a%' order by y;
