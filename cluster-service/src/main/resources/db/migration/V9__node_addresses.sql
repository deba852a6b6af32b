-- Every address of a node its gateway reported (every NIC, IPv4 and IPv6), the primary (cluster_node.ip) first,
-- separated by single spaces (an address holds none); nodes reported before: their one ip.
alter table cluster_node add column addresses text not null default '';
update cluster_node set addresses = ip where ip is not null;
