-- Q2 as plain SQL: the count and the first 51 public organizations of a
-- country by name (50 and one to tell whether there is a next page), with
-- their partner.
\set i random(1, :n)
SELECT raw AS country FROM bench.countries WHERE i = :i \gset
SELECT count(*) FROM organizations
WHERE country_code = :country AND visibility = 'public' AND archived_at IS NULL;
SELECT o.id, o.display_name, o.org_type, o.visibility, p.id AS partner_id, p.name AS partner_name
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
WHERE o.country_code = :country AND o.visibility = 'public' AND o.archived_at IS NULL
ORDER BY o.display_name, o.id
LIMIT 51;
