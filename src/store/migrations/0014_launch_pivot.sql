-- A launch marked as a product pivot (#17, `launch pivot`) carries the day the pivot takes effect:
-- battlecards refreshed before it argue against the old product. Launches already flagged (0009's
-- `pivot`) take their launch day. `pivot` stays the flag; `pivot_on` is set exactly when it is 1.
ALTER TABLE launch ADD COLUMN pivot_on TEXT;
UPDATE launch SET pivot_on = launch_date WHERE pivot = 1;
