-- Decision edits: a decision's words, owner and due day can be corrected (a typo no longer costs
-- a new record); the decision row holds the current values and this table what they were, when
-- each changed, so the record of what was decided is never lost.
CREATE TABLE decision_change (
    id          INTEGER PRIMARY KEY,
    decision_id INTEGER NOT NULL REFERENCES decision(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    field       TEXT NOT NULL CHECK (field IN ('title', 'owner', 'due', 'risk', 'recommendation')),
    old_value   TEXT NOT NULL, -- '' for an empty risk or no due day
    new_value   TEXT NOT NULL
) STRICT;
CREATE INDEX decision_change_by_decision ON decision_change(decision_id, id);
