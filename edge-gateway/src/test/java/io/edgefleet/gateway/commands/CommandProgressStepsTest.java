package io.edgefleet.gateway.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The AsyncAPI document's enum of {@code CommandProgress.step} names exactly the steps the gateway can send. The steps
 * are string literals at the call sites, so this test reads them from the gateway's sources: the step argument of
 * every {@code progress.step(step, message)} of a task and every {@code progress(command, type, step, message)} of
 * the command executor, the one place that builds a {@code CommandProgress}.
 */
class CommandProgressStepsTest {

    private static final Path SOURCES = Path.of("src/main/java");
    /** A call of TaskProgress.step (argument 0) or of CommandExecutor.progress (argument 2), not their declarations. */
    private static final Pattern CALL = Pattern.compile("(?<!void )(?<!boolean )\\b(?:(\\w+)\\.step|progress)\\s*\\(");

    private static final Pattern LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");

    @Test
    void theAsyncApiEnumNamesEveryStepTheGatewaySends() throws IOException {
        assertEquals(
                sentSteps(),
                documentedSteps(),
                "CommandProgress.step in events/src/main/resources/asyncapi.yaml must list every step the gateway sends");
    }

    @Test
    void onlyTheCommandExecutorBuildsProgressReports() throws IOException {
        List<Path> builders = new ArrayList<>();
        for (Path file : javaFiles()) {
            if (Files.readString(file).contains("new CommandProgress(")) {
                builders.add(SOURCES.relativize(file));
            }
        }
        assertEquals(
                List.of(Path.of("io/edgefleet/gateway/commands/CommandExecutor.java")),
                builders,
                "a new place that sends progress: teach this test to read its steps");
    }

    private static Set<String> documentedSteps() throws IOException {
        try (InputStream in = CommandProgressStepsTest.class.getResourceAsStream("/asyncapi.yaml")) {
            assertTrue(in != null, "asyncapi.yaml of the events module is not on the classpath");
            JsonNode step = new ObjectMapper(new YAMLFactory())
                    .readTree(in)
                    .path("components")
                    .path("schemas")
                    .path("CommandProgress")
                    .path("properties")
                    .path("step");
            Set<String> steps = new TreeSet<>();
            step.path("enum").forEach(value -> steps.add(value.asText()));
            assertFalse(steps.isEmpty(), "CommandProgress.step has no enum in asyncapi.yaml: " + step);
            return steps;
        }
    }

    /** Every step literal at a progress call; a call whose step is not a literal must forward a {@code step} parameter. */
    static Set<String> sentSteps() throws IOException {
        Set<String> steps = new TreeSet<>();
        List<String> unreadable = new ArrayList<>();
        for (Path file : javaFiles()) {
            String source = Files.readString(file);
            Matcher call = CALL.matcher(source);
            while (call.find()) {
                List<String> arguments = arguments(source, call.end());
                boolean taskStep = call.group(1) != null;
                int index = taskStep ? 0 : 2;
                if (taskStep ? arguments.size() != 2 : arguments.size() < 4 || arguments.size() > 6) {
                    continue; // another method of that name (a fifth argument of progress: the trace context, a
                    // sixth: whether it answers a repeat)
                }
                String argument = arguments.get(index).strip();
                Matcher literal = LITERAL.matcher(argument);
                boolean found = false;
                while (literal.find()) {
                    steps.add(literal.group(1));
                    found = true;
                }
                if (!found && !argument.equals("step")) {
                    unreadable.add(SOURCES.relativize(file) + ": " + argument);
                }
            }
        }
        assertEquals(List.of(), unreadable, "progress steps that are neither literals nor a forwarded step");
        assertFalse(steps.isEmpty(), "found no progress call in " + SOURCES.toAbsolutePath());
        return steps;
    }

    /** The top-level arguments of the call whose '(' ends just before {@code from}. */
    private static List<String> arguments(String source, int from) {
        List<String> arguments = new ArrayList<>();
        int depth = 0;
        StringBuilder current = new StringBuilder();
        for (int i = from; i < source.length(); i++) {
            char c = source.charAt(i);
            if (c == '"') { // copy a string literal whole: it may hold commas and parentheses
                int end = i + 1;
                while (end < source.length() && source.charAt(end) != '"') {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                current.append(source, i, Math.min(end + 1, source.length()));
                i = end;
                continue;
            }
            if (c == '(' || c == '{' || c == '[') {
                depth++;
            } else if (c == ')' || c == '}' || c == ']') {
                if (depth == 0) {
                    arguments.add(current.toString());
                    return arguments;
                }
                depth--;
            } else if (c == ',' && depth == 0) {
                arguments.add(current.toString());
                current.setLength(0);
                continue;
            }
            current.append(c);
        }
        return arguments;
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
        }
    }
}
