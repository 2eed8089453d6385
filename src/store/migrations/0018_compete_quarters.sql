-- Win/loss at 100,000 deal outcomes (#17's speed): the current outcomes counted per quarter,
-- outcome and the three names win/loss groups by (as written), with their amounts and the
-- first row's id (win/loss shows a name as first met). Every write that changes deal outcomes
-- (an import, its undo) recounts it in the same transaction; `mktg check` compares it with a
-- fresh count. The Compete view, `compete list` and a quarter's `winloss` read it instead of
-- every outcome.
CREATE TABLE deal_outcome_quarter (
    quarter    TEXT NOT NULL,                 -- the quarter's first day: '2026-10-01'
    outcome    TEXT NOT NULL CHECK (outcome IN ('won', 'lost', 'open')),
    competitor TEXT,
    reason     TEXT,
    segment    TEXT,
    deals      INTEGER NOT NULL CHECK (deals > 0),
    cents      INTEGER NOT NULL,
    first_id   INTEGER NOT NULL
) STRICT;
CREATE INDEX deal_outcome_quarter_by_quarter ON deal_outcome_quarter(quarter);

INSERT INTO deal_outcome_quarter(quarter, outcome, competitor, reason, segment, deals, cents, first_id)
SELECT substr(closed_on, 1, 5) || CASE WHEN substr(closed_on, 6, 2) <= '03' THEN '01'
                                       WHEN substr(closed_on, 6, 2) <= '06' THEN '04'
                                       WHEN substr(closed_on, 6, 2) <= '09' THEN '07' ELSE '10' END || '-01',
       outcome, competitor, reason, segment, count(*), coalesce(sum(amount_cents), 0), min(id)
FROM deal_outcome WHERE current = 1 AND closed_on IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

-- A trigger whose evidence an undone import took away is cleared (no longer open); the
-- proposed decision it opened stays in the log, the director's to close. Detected again, it
-- opens again (cleared_at back to NULL), with the same decision.
ALTER TABLE positioning_trigger ADD COLUMN cleared_at TEXT;
