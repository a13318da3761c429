-- Harvest answers (state::harvest::Pages): per source, what each request of its last
-- successful run was answered (location, hash of the body, ETag, Last-Modified), as JSON, so
-- that the next run can ask conditionally and tell an unchanged source without parsing it.
CREATE TABLE harvest_pages (
    source text PRIMARY KEY,
    value text NOT NULL
);
