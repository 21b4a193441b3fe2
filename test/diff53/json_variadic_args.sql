-- JSONB and json_array_insert editing functions called with no arguments answer NULL.
SELECT jsonb_extract() IS NULL, jsonb_set() IS NULL, jsonb_insert() IS NULL, jsonb_replace() IS NULL, jsonb_remove() IS NULL;
SELECT json_array_insert() IS NULL, jsonb_array_insert() IS NULL, typeof(json_array_insert());
SELECT json_array_insert('[1,2]'), json(jsonb_remove('[3]'));
