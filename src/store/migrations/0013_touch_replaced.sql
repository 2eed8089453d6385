-- A touches file exported again replaces the same deals' rows of the earlier import of its source.
-- The earlier rows are kept, marked with the import that replaced them, so undoing that import
-- brings them back exactly; every reader skips marked rows.
ALTER TABLE touch ADD COLUMN replaced_by INTEGER REFERENCES import_log(id);
CREATE INDEX touch_by_replaced ON touch(replaced_by) WHERE replaced_by IS NOT NULL;
