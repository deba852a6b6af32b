package io.edgefleet.gateway.nodes.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.HealthState;
import io.edgefleet.gateway.nodes.docker.ContainerReadiness.Verdict;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The readiness decision from one inspection, without an engine. */
class ContainerReadinessTest {

    private static HealthState health(String json) throws Exception {
        return new ObjectMapper().readValue(json, HealthState.class);
    }

    @Test
    void onlyAHealthyRunningContainerIsReady() throws Exception {
        assertEquals(
                new ContainerReadiness.Seen(Verdict.READY, "ready: the node's health check passed"),
                ContainerReadiness.judge(true, "running", health("""
                        {"Status":"healthy","Log":[]}""")));
        assertEquals(
                new ContainerReadiness.Seen(Verdict.STARTING, "the node's health check has not run yet"),
                ContainerReadiness.judge(true, "running", health("""
                        {"Status":"starting"}""")));
        assertEquals(
                new ContainerReadiness.Seen(
                        Verdict.STARTING,
                        "the node's health check has not passed yet (last check exited 1: no kubelet)"),
                ContainerReadiness.judge(true, "running", health("""
                                {"Status":"starting","Log":[
                                  {"ExitCode":0,"Output":"old"},
                                  {"ExitCode":1,"Output":"no kubelet\\n"}]}""")));
        assertEquals(
                new ContainerReadiness.Seen(
                        Verdict.UNHEALTHY, "the node's health check fails (last check exited 2, no output)"),
                ContainerReadiness.judge(true, "running", health("""
                                {"Status":"unhealthy","Log":[{"ExitCode":2,"Output":""}]}""")));
    }

    @Test
    void aStoppedContainerIsNeverReadyAndOneWithoutACheckIsReadyOnceRunning() throws Exception {
        assertEquals(
                Verdict.NOT_RUNNING,
                ContainerReadiness.judge(false, "exited", health("""
                        {"Status":"healthy"}""")).verdict());
        assertEquals(
                Verdict.READY, ContainerReadiness.judge(true, "running", null).verdict());
        assertEquals(Verdict.GONE, ContainerReadiness.look(null).verdict());
    }
}
