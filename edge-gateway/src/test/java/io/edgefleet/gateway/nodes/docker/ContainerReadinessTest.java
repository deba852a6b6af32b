package io.edgefleet.gateway.nodes.docker;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.command.HealthState;
import io.edgefleet.gateway.nodes.docker.ContainerReadiness.Verdict;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

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

    @Test
    void theGatewaysOwnRunOfTheCheckDecidesWhileTheEngineStillSaysStarting() {
        ContainerReadiness.Seen starting =
                new ContainerReadiness.Seen(Verdict.STARTING, "the node's health check has not run yet");
        assertEquals(
                new ContainerReadiness.Seen(Verdict.READY, "ready: the node's health check passed"),
                ContainerReadiness.judge(starting, new ContainerReadiness.CheckRun(0, "")));
        assertEquals(
                new ContainerReadiness.Seen(
                        Verdict.STARTING,
                        "the node's health check has not passed yet (last check exited 1: no kubelet)"),
                ContainerReadiness.judge(starting, new ContainerReadiness.CheckRun(1, "no kubelet\n")));
        // an unhealthy node that answers its check again is ready: the engine says so at its next check
        assertEquals(
                Verdict.READY,
                ContainerReadiness.judge(
                                new ContainerReadiness.Seen(Verdict.UNHEALTHY, "the node's health check fails"),
                                new ContainerReadiness.CheckRun(0, "ok"))
                        .verdict());
        assertEquals(
                "the node's health check fails (last check exited -1, no output)",
                ContainerReadiness.judge(
                                new ContainerReadiness.Seen(Verdict.UNHEALTHY, "the node's health check fails"),
                                new ContainerReadiness.CheckRun(-1, ""))
                        .reason());
        // a run that could not be made, or a node that stopped or went: the engine's verdict stands
        assertEquals(starting, ContainerReadiness.judge(starting, null));
        ContainerReadiness.Seen stopped = new ContainerReadiness.Seen(Verdict.NOT_RUNNING, "exited");
        assertEquals(stopped, ContainerReadiness.judge(stopped, new ContainerReadiness.CheckRun(0, "")));
    }

    @Test
    void theCheckRunsInTheNodeAsTheEngineRunsIt() {
        assertEquals(
                List.of("/bin/sh", "-c", "netstat -ltn | grep -q ':8080 '"),
                NodeHealth.defaults().execForm());
        assertEquals(
                List.of("curl", "-sf", "http://127.0.0.1:10248/healthz"),
                new NodeHealth(List.of("CMD", "curl", "-sf", "http://127.0.0.1:10248/healthz"), null, null).execForm());
        assertNull(NodeHealth.forSetting("none").execForm());
    }
}
