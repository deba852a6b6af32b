package io.edgefleet.gateway;

import io.edgefleet.gateway.install.InstallCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.ArrayList;
import java.util.List;

/** Command line of the edge gateway: {@code install} (the bootstrapper) and {@code run}. */
@Command(
        name = "edge-gateway",
        mixinStandardHelpOptions = true,
        version = EdgeGateway.VERSION,
        subcommands = {InstallCommand.class, RunCommand.class},
        description = "EdgeFleet edge gateway: installs itself on an appliance, registers it and runs its nodes.")
public final class EdgeGatewayMain {

    public static void main(String[] args) {
        if (System.getProperty("java.util.logging.manager") == null) {
            System.setProperty("java.util.logging.manager", "org.jboss.logmanager.LogManager");
        }
        System.exit(execute(args));
    }

    /** Runs the command line; returns the exit code (0 ok, 2 bad input). */
    public static int execute(String... args) {
        CommandLine cli = new CommandLine(new EdgeGatewayMain());
        cli.setOverwrittenOptionsAllowed(true); // the last of a repeated flag wins, as with most tools
        cli.setParameterExceptionHandler((e, given) -> { // one clear line, not the whole usage
            System.err.println("error: " + e.getMessage() + " (see --help)");
            return 2;
        });
        cli.setExecutionExceptionHandler((e, command, parsed) -> {
            System.err.println("error: " + e.getMessage());
            return 1;
        });
        return cli.execute(withoutSeparator(args));
    }

    /**
     * The original usage line puts a lone {@code --} between the installer's own options and the
     * gateway's ({@code edge-installer.bin --target DIR -- -i IP ...}); it carries no meaning here.
     */
    static String[] withoutSeparator(String[] args) {
        List<String> kept = new ArrayList<>(List.of(args));
        kept.remove("--");
        return kept.toArray(String[]::new);
    }
}
