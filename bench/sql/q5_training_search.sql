-- Q5 as plain SQL: the count and the first 21 published trainings (20 and
-- one to tell whether there is a next page), newest first, that have a
-- session in the country open for registration now (scheduled, starting and
-- closing after now) with a seat left, each with its partner's name, its
-- topics (by name) and all its sessions (by start) with their seats left,
-- in one statement (aggregated per training).
\set i random(1, :n)
SELECT raw AS country FROM bench.open_training_countries WHERE i = :i \gset
SELECT count(*) FROM trainings t
WHERE t.status = 'published' AND t.id IN (
    SELECT s.training_id FROM training_sessions s
    WHERE s.country_code = :country AND s.status = 'scheduled' AND s.starts_at > now()
      AND s.registration_deadline > now() AND s.registered_count < s.capacity
);
SELECT t.id, t.title, t.level, t.format, t.created_at, p.name AS partner_name,
    (SELECT json_agg(tp.slug ORDER BY tp.name)
     FROM training_topic_links l JOIN training_topics tp ON tp.id = l.topic_id
     WHERE l.training_id = t.id) AS topics,
    (SELECT json_agg(json_build_object(
         'startsAt', s.starts_at,
         'seatsLeft', CASE WHEN s.status = 'scheduled' THEN greatest(s.capacity - s.registered_count, 0) ELSE 0 END,
         'country', s.country_code) ORDER BY s.starts_at, s.id)
     FROM training_sessions s WHERE s.training_id = t.id) AS sessions
FROM trainings t
JOIN partners p ON p.id = t.partner_id
WHERE t.status = 'published' AND t.id IN (
    SELECT s.training_id FROM training_sessions s
    WHERE s.country_code = :country AND s.status = 'scheduled' AND s.starts_at > now()
      AND s.registration_deadline > now() AND s.registered_count < s.capacity
)
ORDER BY t.created_at DESC, t.id DESC
LIMIT 21;
