-- Budget close: a campaign spent past its plan stays on the attention list until someone
-- acknowledges it (`budget ack`, or a key on the dashboard). The spend acknowledged is kept, so
-- spend that arrives afterwards raises it again.
CREATE TABLE over_plan_ack (
    campaign_id INTEGER PRIMARY KEY REFERENCES campaign(id) ON DELETE CASCADE,
    at          TEXT NOT NULL,
    by_whom     TEXT NOT NULL DEFAULT '',
    spent_cents INTEGER NOT NULL
) STRICT;
