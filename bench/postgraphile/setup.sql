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
