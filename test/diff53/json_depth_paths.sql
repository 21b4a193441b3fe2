-- JSON nesting limits (1000 containers in text; JSONB's strict check counts
-- the innermost value too) and [#N] path steps, as SQLite 3.53.
SELECT json_valid(printf('%.1000c0%.1000c','[',']')), json_valid(printf('%.1001c0%.1001c','[',']')), json_valid(printf('%.1000c%.1000c','[',']')), json_valid(printf('%.1001c%.1001c','[',']'));
SELECT json_valid(replace(printf('%.1000c0%.1000c','[','}'),'[','{"a":')), json_valid(replace(printf('%.1001c0%.1001c','[','}'),'[','{"a":'));
SELECT json(printf('%.1000c0%.1000c','[',']')) IS NOT NULL;
SELECT json_valid(jsonb(printf('%.1000c0%.1000c','[',']')), 8);
SELECT length(json_set('{}', '$' || printf('%.999c', '.') , 1));
SELECT json_extract('{"b":[1,2]}', '$.b[#9]');

SELECT json_valid(jsonb(printf('%.999c0%.999c','[',']')), 8), json_valid(jsonb(printf('%.998c0%.998c','[',']')), 8), json_valid(jsonb(printf('%.1000c%.1000c','[',']')), 8), json_valid(jsonb(printf('%.999c%.999c','[',']')), 8);
SELECT json_extract('{"b":[1,2]}', '$.b[#1]'), json_extract('{"b":[1,2]}', '$.b[#-1]'), json_extract('{"b":[1,2]}', '$.b[#]'), json_extract('{"b":[1,2]}', '$.b[#-9]');
SELECT json_extract('{"b":[1,2]}', '$.b[#10]');
SELECT json_extract('{"b":[1,2]}', '$.b[#+1]');
