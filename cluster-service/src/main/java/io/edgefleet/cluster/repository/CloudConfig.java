package io.edgefleet.cluster.repository;

import java.util.List;

/**
 * @param virtualIp  virtualized clusters: the control plane's virtual IP (null for containerized ones)
 * @param sshKeys    public keys authorized on every node
 * @param ntpServers virtualized clusters: time servers of the nodes
 */
public record CloudConfig(String virtualIp, List<String> sshKeys, List<String> ntpServers) {}
