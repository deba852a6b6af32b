-- "Has the tag k" in a list filter: the GIN index on tags serves the ? operator, which a query with bind parameters
-- cannot spell (JDBC and Hibernate read ? as a parameter), and not the function jsonb_exists. A SQL function the
-- planner inlines hides the operator: the query says tags_have_key(tags, :key) and the index is used.
create function tags_have_key(tags jsonb, tag_key text) returns boolean
    language sql immutable parallel safe
    as $$ select tags ? tag_key $$;
