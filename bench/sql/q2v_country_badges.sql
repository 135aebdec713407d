-- Q2v as plain SQL: Q2 with each organization's approval in force (the one
-- lasting longest), read in the same statement.
\set i random(1, :n)
SELECT raw AS country FROM bench.countries WHERE i = :i \gset
SELECT count(*) FROM organizations
WHERE country_code = :country AND visibility = 'public' AND archived_at IS NULL;
SELECT o.id, o.display_name, o.org_type, o.visibility, p.id AS partner_id, p.name AS partner_name,
       v.valid_until
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT v.valid_until
    FROM validations v
    WHERE v.organization_id = o.id AND v.status = 'approved' AND v.valid_until > now()
    ORDER BY v.valid_until DESC
    LIMIT 1
) v ON true
WHERE o.country_code = :country AND o.visibility = 'public' AND o.archived_at IS NULL
ORDER BY o.display_name, o.id
LIMIT 51;
