-- Q4 as plain SQL: the two grouped statements of the impact report by
-- country for a year (counts with the organizations an anonymous caller may
-- not see, then money per currency).
SELECT o.country_code,
       count(DISTINCT r.organization_id) AS organizations,
       count(DISTINCT CASE WHEN NOT (o.visibility IN ('public')) THEN r.organization_id END) AS unseen,
       count(r.id) AS requests, sum(r.quantity) AS units
FROM donation_requests r
JOIN programs p ON p.id = r.program_id
JOIN organizations o ON o.id = r.organization_id
WHERE r.status = 'fulfilled' AND r.fulfilled_at >= '2025-01-01T00:00:00Z' AND r.fulfilled_at < '2026-01-01T00:00:00Z'
GROUP BY o.country_code ORDER BY o.country_code;
SELECT o.country_code, p.currency,
       sum(r.quantity::bigint * p.unit_value) AS retail, sum(r.quantity::bigint * p.admin_fee) AS fees
FROM donation_requests r
JOIN programs p ON p.id = r.program_id
JOIN organizations o ON o.id = r.organization_id
WHERE r.status = 'fulfilled' AND r.fulfilled_at >= '2025-01-01T00:00:00Z' AND r.fulfilled_at < '2026-01-01T00:00:00Z'
GROUP BY o.country_code, p.currency ORDER BY o.country_code;
