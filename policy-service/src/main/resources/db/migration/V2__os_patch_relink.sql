-- OS_PATCH runs of mode RELINK: cluster-service's answer (os-patch-finished), {fromVersion, toVersion, message}.
-- Policies' patch settings gain "mode" in their JSON; rows without it are read as NODE_COMMAND (they have a command).
alter table run add column os_patch jsonb;
