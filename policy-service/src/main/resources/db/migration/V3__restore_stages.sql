-- RESTORE runs are all or nothing: every node's archive is verified (VERIFY) before any node is restored (APPLY).
-- A restore's node task also holds, in output.archive, the archive it puts back (objectKey, size, SHA-256).
alter table run_node add column stage text; -- RESTORE: VERIFY, then APPLY; null for other kinds
