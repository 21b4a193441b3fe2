-- substr() reads its start and length as 64-bit integers, as SQLite 3.53 does (3.40 cut them to 32 bits), with the
-- arithmetic exact at both ends of the integer range; without a length it takes the length limit.
SELECT substr('hello world', 2, 4294967297), substr('hello world', 4294967297), substr('hello world', -4294967297, 3);
SELECT substr('hello world', 4294967296), substr('hello world', -2147483648, 2147483650);
SELECT substr('hello', 9223372036854775807, 2), substr('hello', -9223372036854775808, 9223372036854775807);
SELECT substr('hello', 3, -9223372036854775808), substr('hello', -3, -9223372036854775808);
SELECT substr('hello', 9223372036854775807, -9223372036854775807), substr('hello', 9223372036854775807, -9223372036854775803);
SELECT substr('hello', 0, -1), substr('hello', 0, 2), substr('hello', 0), substr('hello', 2, 1e30), substr('hello', -1e30);
SELECT substr('hello', 2.9, 2.9), substr('hello', '3', '2'), substr('hello', 6, -2), substr('hello', 7, -3);
SELECT substr('hello world', -2147483648), substr('hello world', -9999999999);
SELECT substr('héllo wörld ✓ 𝄞 end', -9223372036854775807, 9223372036854775807), substr('héllo ✓ 𝄞', 7, 2);
SELECT hex(substr(x'0102030405', -2, 9223372036854775807)), hex(substr(x'0102030405', 9223372036854775807));
SELECT hex(substr(x'0102030405', -9223372036854775808, -9223372036854775808)), substr(12345, -2, 1);
