-- Q3 as plain SQL: the 20 organizations, then each one's 10 newest requests
-- (a LATERAL on idx_donation_requests_organization) with the program's
-- English name and the donor, in one statement.
\set i random(1, :n)
SELECT raw AS ids FROM bench.active_org_sets WHERE i = :i \gset
SELECT o.id, o.display_name
FROM organizations o
WHERE o.id IN (SELECT value::uuid FROM jsonb_array_elements_text(:ids::jsonb));
SELECT r.organization_id, r.id, r.created_at, r.status, r.quantity, p.id AS program_id, t.name AS program_name,
       d.id AS donor_id, d.name AS donor_name
FROM jsonb_array_elements_text(:ids::jsonb) AS o(id)
CROSS JOIN LATERAL (
    SELECT r.*
    FROM donation_requests r
    WHERE r.organization_id = o.id::uuid
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT 10
) r
JOIN programs p ON p.id = r.program_id
JOIN donors d ON d.id = p.donor_id
LEFT JOIN program_texts t ON t.program_id = p.id AND t.language = 'en';
