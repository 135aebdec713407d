-- What PostGraphile needs to answer Q1 and Q2 like civic-graph: an
-- organization's partner is not a foreign key (partners serve countries), so
-- it is a computed column. Created in the throwaway benchmark database only.
CREATE OR REPLACE FUNCTION public.organizations_partner(o public.organizations)
RETURNS public.partners
LANGUAGE sql STABLE
AS $$
    SELECT p.*
    FROM public.partner_countries pc JOIN public.partners p ON p.id = pc.partner_id
    WHERE pc.country_code = o.country_code AND p.status <> 'archived'
    ORDER BY p.joined_on, p.id
    LIMIT 1
$$;

-- Q3: a list of organizations by id (PostGraphile v4 exposes a STABLE
-- function returning SETOF a table as a root connection field), and a
-- program's English name (its texts are rows per language).
CREATE OR REPLACE FUNCTION public.organizations_by_ids(ids uuid[])
RETURNS SETOF public.organizations
LANGUAGE sql STABLE
AS $$
    SELECT o.* FROM public.organizations o WHERE o.id = ANY (ids)
$$;

CREATE OR REPLACE FUNCTION public.programs_name(p public.programs)
RETURNS text
LANGUAGE sql STABLE
AS $$
    SELECT t.name FROM public.program_texts t WHERE t.program_id = p.id AND t.language = 'en'
$$;

-- Q5: the trainings with a session in a country open for registration now
-- (scheduled, starting and closing after now) that has a seat left, newest
-- first: a root connection field `trainingsWithSeats(country:)` (v4 has no
-- "has a related row such that" condition without a plugin). Published ones
-- only, as civic-graph lists them to anonymous callers. And a session's
-- seats left, as civic-graph's `seatsLeft` (a computed column).
CREATE OR REPLACE FUNCTION public.trainings_with_seats(country text)
RETURNS SETOF public.trainings
LANGUAGE sql STABLE
AS $$
    SELECT t.*
    FROM public.trainings t
    WHERE t.status = 'published' AND t.id IN (
        SELECT s.training_id FROM public.training_sessions s
        WHERE s.country_code = country AND s.status = 'scheduled' AND s.starts_at > now()
          AND s.registration_deadline > now() AND s.registered_count < s.capacity
    )
    ORDER BY t.created_at DESC, t.id DESC
$$;

CREATE OR REPLACE FUNCTION public.training_sessions_seats_left(s public.training_sessions)
RETURNS integer
LANGUAGE sql STABLE
AS $$
    SELECT CASE WHEN s.status = 'scheduled' THEN greatest(s.capacity - s.registered_count, 0) ELSE 0 END
$$;
