-- Sets of 20 organizations with 10 or more donation requests each (the most
-- active ones, in a fixed order, the same every run), up to 100 sets: the
-- API's global IDs, then the rows' ids, each set as a JSON array.
WITH active AS (
    SELECT organization_id AS id, row_number() OVER (ORDER BY md5(organization_id::text)) - 1 AS n
    FROM donation_requests
    GROUP BY organization_id
    HAVING count(*) >= 10
)
SELECT '[' || string_agg('"' || translate(rtrim(encode(convert_to('Organization:' || id::text, 'UTF8'), 'base64'), '='), E'+/\n', '-_') || '"', ',' ORDER BY n) || ']',
       '[' || string_agg('"' || id::text || '"', ',' ORDER BY n) || ']'
FROM active
GROUP BY n / 20
HAVING count(*) = 20
ORDER BY n / 20
LIMIT 100;
