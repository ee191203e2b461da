-- Consumers are woken after commit by the writer (event-store.ts, announceAppended), no longer
-- by a trigger inside the appending transaction: a NOTIFY there takes PostgreSQL's notify-queue
-- lock before the commit record and holds it through the WAL flush, so appending transactions
-- could only commit one after another. Rows written by hand, bypassing orgtime, are picked up
-- by the consumers' safety poll instead (one second).
DROP TRIGGER "events_notify" ON "events";
DROP FUNCTION "orgtime_notify_appended"();
