-- Q2a as plain SQL: Q2 as the validator sees it: public and network-only
-- organizations everywhere, hidden ones too in the countries its partner
-- serves (bench.validator_countries, filled by bench/run).
\set i random(1, :n)
SELECT raw AS country FROM bench.countries WHERE i = :i \gset
SELECT count(*) FROM organizations
WHERE country_code = :country AND archived_at IS NULL
  AND (visibility <> 'hidden' OR country_code IN (SELECT code FROM bench.validator_countries));
SELECT o.id, o.display_name, o.org_type, o.visibility, p.id AS partner_id, p.name AS partner_name
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
WHERE o.country_code = :country AND o.archived_at IS NULL
  AND (o.visibility <> 'hidden' OR o.country_code IN (SELECT code FROM bench.validator_countries))
ORDER BY o.display_name, o.id
LIMIT 51;
