-- Text to JSONB: integers with and without a sign next to hex, zero and
-- malformed forms; containers whose payload sizes fall on each side of the
-- header size steps (11/12, 255/256, 65535/65536 bytes), nested.
SELECT hex(jsonb('[-0,-0x1F,0,-,1]'));
SELECT hex(jsonb('[-0,-0x1F,0,-12,1,-0.5,-1e5,0e1,-7,0x10,-0X1a]'));
SELECT json_error_position('[-01]'), json_error_position('[-]'), json_error_position('[01]'), json_error_position('[-x]'), json_error_position('-0x'), json_error_position('[1-2]'), json_error_position('0x'), json_error_position('[0x]'), json_error_position('0xg'), json_error_position('[0xg]'), json_error_position('+0x');
SELECT hex(jsonb('-0')), hex(jsonb('0')), hex(jsonb('-123456789012345678901234567890')), json('[-0 , -5 ,0]');
WITH RECURSIVE n(k) AS (VALUES(0) UNION ALL SELECT k + 1 FROM n WHERE k < 14)
  SELECT k, hex(jsonb('[' || substr('1,2,3,4,5,6,7,8,9,1,2,3,4,5', 1, 2 * k - 1) || ']')) FROM n WHERE k > 0;
WITH s(k) AS (VALUES (9), (10), (11), (250), (251), (252), (253), (254), (65530), (65531), (65532), (65533), (65534))
  SELECT k, length(jsonb('["' || printf('%.*c', k, 'a') || '"]')), hex(substr(jsonb('["' || printf('%.*c', k, 'a') || '"]'), 1, 6)),
         hex(substr(jsonb('{"k":[["' || printf('%.*c', k, 'b') || '"]]}'), 1, 12)) FROM s;
SELECT length(jsonb(x)), hex(substr(jsonb(x), 1, 10)), json_array_length(x, '$[0]') FROM (SELECT '[' || (WITH RECURSIVE c(i) AS (VALUES(1) UNION ALL SELECT i + 1 FROM c WHERE i < 3000) SELECT group_concat('[' || i || ',-' || i || ',"s' || i || '"]', ',') FROM c) || ']' AS x);
