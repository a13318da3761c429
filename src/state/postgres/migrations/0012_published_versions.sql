-- Published versions (state::revisions): when the version a revision records was published,
-- where that is not the revision's own time (a baseline revision), and the newest public
-- revisions first for the public change list (RevisionRepo::public).
ALTER TABLE revisions ADD COLUMN published timestamptz;
CREATE INDEX revisions_public ON revisions (id) WHERE state IN ('published', 'retired');
