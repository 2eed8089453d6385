-- Imports: KPI facts are no longer indexed by the import that brought them.
--
-- Every KPI fact paid for an entry in kpi_obs_by_import on the way in: on a million-row file,
-- 8% of the pages written and a tenth of the import's time. Only undo, replace and the undo
-- confirmation look facts up by import, each once per import, and a scan of kpi_obs serves them
-- (tens of milliseconds per million facts). spend and attribution keep their import indexes:
-- they are small and their imports are not the bulk path.
DROP INDEX kpi_obs_by_import;
