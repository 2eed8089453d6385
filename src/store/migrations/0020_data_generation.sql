-- The store's data generation: a counter every write transaction bumps as it commits (`Tx`),
-- except those that only keep a result derived from the data (the anomaly scan, span totals, a
-- kept brief): a derived result dated by it is current exactly while the counter has not moved.
CREATE TABLE data_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n  INTEGER NOT NULL
) STRICT;
INSERT INTO data_generation(id, n) VALUES (1, 0);

-- The morning brief's day part (everything but the minute: agenda, focus, next meeting), kept
-- for the generation, day, period choice, config and build it was computed for (`brief::kept`).
-- A cache: a row no reader matches is never read; only the latest few are kept.
CREATE TABLE kept_brief (
    generation INTEGER NOT NULL,
    today      TEXT NOT NULL,
    key        TEXT NOT NULL,
    body       TEXT NOT NULL,
    PRIMARY KEY (generation, today, key)
) STRICT;
