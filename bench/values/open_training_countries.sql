-- The countries with a session open for registration now (scheduled, starting
-- and closing after the run's now) that has a seat left, of a published
-- training: Q5 finds something in each. Its code, twice (the API and the
-- database use the same code). The sessions run to December 2027: after that
-- the data needs newer sessions (bump BENCH_VERSION).
SELECT DISTINCT s.country_code, s.country_code
FROM training_sessions s
JOIN trainings t ON t.id = s.training_id
WHERE t.status = 'published' AND s.status = 'scheduled' AND s.country_code IS NOT NULL
  AND s.starts_at > now() AND s.registration_deadline > now() AND s.registered_count < s.capacity
ORDER BY 1;
