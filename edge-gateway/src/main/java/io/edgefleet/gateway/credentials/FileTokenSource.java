package io.edgefleet.gateway.credentials;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A bearer token kept fresh in a file by another agent; read again for every report. */
public final class FileTokenSource implements TokenSource {

    private final Path file;

    public FileTokenSource(Path file) {
        this.file = file;
    }

    @Override
    public String token() {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the token file " + file, e);
        }
    }
}
