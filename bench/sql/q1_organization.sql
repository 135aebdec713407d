-- Q1 as plain SQL: one public organization by id with its partner (the
-- longest-standing one serving its country), in one statement. The id comes
-- from the same 1,000 as the GraphQL run (bench.org_ids, by number).
\set i random(1, :n)
SELECT raw AS id FROM bench.org_ids WHERE i = :i \gset
SELECT o.id, o.legal_name, o.display_name, o.org_type, o.visibility, o.website, o.created_at, o.country_code,
       p.id AS partner_id, p.name AS partner_name
FROM organizations o
LEFT JOIN LATERAL (
    SELECT p.id, p.name
    FROM partner_countries pc JOIN partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
) p ON true
WHERE o.id = :id AND o.visibility = 'public';
