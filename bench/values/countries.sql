-- Every country that has organizations: its code, twice (the API and the
-- database use the same code).
SELECT country_code, country_code
FROM organizations
GROUP BY country_code
ORDER BY country_code;
