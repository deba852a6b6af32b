package io.edgefleet.gateway.nodes.libvirt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgefleet.gateway.nodes.NodeDriverException;
import org.libvirt.Domain;
import org.libvirt.Error;
import org.libvirt.LibvirtException;

import java.io.IOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The QEMU guest agent of one domain ({@code qemu-ga} in the guest on the virtio-serial port
 * {@value #CHANNEL}, which every node domain has), reached through libvirt: start commands, ask how
 * they ended, and read and write files in the guest. The node's OS image must run the agent.
 */
final class GuestAgent {

    static final String CHANNEL = "org.qemu.guest_agent.0";
    /** Bytes per file read: libvirt caps a string in one message at 4 MiB, and base64 makes 1 MiB into 1.33 MiB. */
    static final int READ_BYTES = 1024 * 1024;
    /**
     * Bytes per file write. Requests to the agent must stay small: with qemu-ga 7.2 a write of 100 KB
     * answered in 80 ms, one of 256 KiB never did (and libvirt then calls the agent unavailable until it
     * reconnects).
     */
    static final int WRITE_BYTES = 64 * 1024;
    /** libvirt's wait for one agent answer (seconds); a command that runs longer is polled, not awaited. */
    private static final int ANSWER_TIMEOUT_SECONDS = 30;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Domain domain;
    private final String name;

    GuestAgent(Domain domain, String name) {
        this.domain = domain;
        this.name = name;
    }

    /** How a started command stands; output only once it has exited. */
    record ExecStatus(boolean exited, int exitCode, byte[] stdout, byte[] stderr) {}

    /** Starts {@code command} (searched in the agent's PATH, no shell) and returns its pid in the guest. */
    long exec(List<String> command) throws NodeDriverException {
        ObjectNode args = JSON.createObjectNode().put("path", command.get(0)).put("capture-output", true);
        ArrayNode argv = args.putArray("arg");
        command.subList(1, command.size()).forEach(argv::add);
        return call("guest-exec", args).path("pid").asLong(-1);
    }

    /** A command killed by a signal ends with 128 + the signal's number, as in a shell. */
    ExecStatus status(long pid) throws NodeDriverException {
        JsonNode r = call("guest-exec-status", JSON.createObjectNode().put("pid", pid));
        if (!r.path("exited").asBoolean(false)) {
            return new ExecStatus(false, -1, new byte[0], new byte[0]);
        }
        int code = r.has("exitcode")
                ? r.path("exitcode").asInt()
                : 128 + r.path("signal").asInt();
        return new ExecStatus(true, code, bytes(r.path("out-data")), bytes(r.path("err-data")));
    }

    long open(String path, String mode) throws NodeDriverException {
        return call("guest-file-open", JSON.createObjectNode().put("path", path).put("mode", mode))
                .asLong(-1);
    }

    /** Up to {@link #READ_BYTES}; null at the end of the file (nothing read: a regular file has ended). */
    byte[] read(long handle) throws NodeDriverException {
        JsonNode r = call(
                "guest-file-read", JSON.createObjectNode().put("handle", handle).put("count", READ_BYTES));
        byte[] data = bytes(r.path("buf-b64"));
        return data.length == 0 ? null : data;
    }

    void write(long handle, byte[] data, int length) throws NodeDriverException {
        String b64 = Base64.getEncoder().encodeToString(length == data.length ? data : Arrays.copyOf(data, length));
        JsonNode r = call(
                "guest-file-write",
                JSON.createObjectNode().put("handle", handle).put("buf-b64", b64));
        if (r.path("count").asInt(-1) != length) {
            throw new NodeDriverException("write in node " + name + ": the guest agent wrote "
                    + r.path("count").asInt(-1) + " of " + length + " bytes (disk full?)");
        }
    }

    void close(long handle) throws NodeDriverException {
        call("guest-file-close", JSON.createObjectNode().put("handle", handle));
    }

    /** True when the agent answers now. */
    boolean answers() {
        try {
            call("guest-ping", null);
            return true;
        } catch (NodeDriverException e) {
            return false;
        }
    }

    private JsonNode call(String command, ObjectNode arguments) throws NodeDriverException {
        ObjectNode request = JSON.createObjectNode().put("execute", command);
        if (arguments != null) {
            request.set("arguments", arguments);
        }
        String answer;
        try {
            answer = domain.qemuAgentCommand(request.toString(), ANSWER_TIMEOUT_SECONDS, 0);
        } catch (LibvirtException e) {
            throw new NodeDriverException(command + " in node " + name + ": " + describe(e), e);
        }
        try {
            JsonNode json = JSON.readTree(answer);
            if (json.has("error")) {
                throw new NodeDriverException(command + " in node " + name + ": the guest agent refused: "
                        + json.path("error")
                                .path("desc")
                                .asText(json.path("error").toString()));
            }
            return json.path("return");
        } catch (IOException e) {
            throw new NodeDriverException(command + " in node " + name + ": the guest agent's answer is not JSON", e);
        }
    }

    private static byte[] bytes(JsonNode b64) {
        return b64.isTextual() ? Base64.getDecoder().decode(b64.asText()) : new byte[0];
    }

    /** libvirt's message, and what an operator can do when the agent is missing. */
    private static String describe(LibvirtException e) {
        Error error = e.getError();
        String message =
                error != null && error.getMessage() != null ? error.getMessage() : String.valueOf(e.getMessage());
        Error.ErrorNumber code = error == null ? null : error.getCode();
        if (code == Error.ErrorNumber.VIR_ERR_AGENT_UNRESPONSIVE
                || code == Error.ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED
                || code == Error.ErrorNumber.VIR_ERR_NO_SUPPORT) {
            return message
                    + " (the gateway works in virtualized nodes through the QEMU guest agent: the node's image must"
                    + " run qemu-ga on the virtio port " + CHANNEL + ")";
        }
        return message;
    }
}
