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
