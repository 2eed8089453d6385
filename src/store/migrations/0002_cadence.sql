-- Cadence: a checklist item left unticked in a meeting's previous session is carried into the
-- next one, remembering the day it was first due, so nothing is silently dropped.
ALTER TABLE meeting_item ADD COLUMN carried_from TEXT;
