-- Q2va as plain SQL: Q2a (the validator's view of a country: it serves these
-- countries, so it sees every live organization there) with each
-- organization's current case, the newest by creation, read in the same
-- statement.
\set i random(1, :n)
SELECT raw AS country FROM bench.served_countries WHERE i = :i \gset
SELECT count(*) FROM organizations
WHERE country_code = :country AND archived_at IS NULL
  AND (visibility <> 'hidden' OR country_code IN (SELECT code FROM bench.validator_countries));
SELECT o.id, o.display_name, o.org_type, o.visibility, p.id AS partner_id, p.name AS partner_name,
       v.status AS validation_status, v.valid_until
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
LEFT JOIN LATERAL (
    SELECT v.status, v.valid_until
    FROM validations v
    WHERE v.organization_id = o.id
    ORDER BY v.created_at DESC, v.id DESC
    LIMIT 1
) v ON true
WHERE o.country_code = :country AND o.archived_at IS NULL
  AND (o.visibility <> 'hidden' OR o.country_code IN (SELECT code FROM bench.validator_countries))
ORDER BY o.display_name, o.id
LIMIT 51;
