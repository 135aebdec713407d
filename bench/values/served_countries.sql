-- The countries whose validation cases the validator bench/run signs in as
-- (validator-01) may read: those its partner serves (bench.validator_countries,
-- filled by bench/run before the values are read). Its code, twice.
SELECT code, code
FROM bench.validator_countries
ORDER BY code;
