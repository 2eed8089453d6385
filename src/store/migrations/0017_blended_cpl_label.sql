-- The dashboard's cost per lead is blended (all spend over all leads), while the budget table's
-- is paid (a campaign's spend over its own leads): both were read as "CPL" (#15). The template's
-- default label becomes "Blended CPL". Only where it is still the default: a label the user chose
-- stays theirs. The metric's key (`cpl`) does not change.
UPDATE metric SET label = 'Blended CPL' WHERE key = 'cpl' AND label = 'Cost per lead';
