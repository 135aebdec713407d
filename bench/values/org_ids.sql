-- 1,000 public organizations, spread over the countries (a fixed order, the
-- same every run): the API's global ID, then the row's id.
SELECT translate(rtrim(encode(convert_to('Organization:' || id::text, 'UTF8'), 'base64'), '='), E'+/\n', '-_'),
       id
FROM organizations
WHERE visibility = 'public' AND archived_at IS NULL
ORDER BY md5(id::text)
LIMIT 1000;
