-- Q2s as plain SQL: Q2 narrowed by a search text, matched like the API does
-- (LIKE on the folded search_text). Keep the word in step with queries.list.
\set i random(1, :n)
SELECT raw AS country FROM bench.countries WHERE i = :i \gset
SELECT count(*) FROM organizations
WHERE country_code = :country AND visibility = 'public' AND archived_at IS NULL AND search_text LIKE '%youth%';
SELECT o.id, o.display_name, o.org_type, o.visibility, p.id AS partner_id, p.name AS partner_name
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
WHERE o.country_code = :country AND o.visibility = 'public' AND o.archived_at IS NULL AND o.search_text LIKE '%youth%'
ORDER BY o.display_name, o.id
LIMIT 51;
