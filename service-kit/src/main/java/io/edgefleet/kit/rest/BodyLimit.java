package io.edgefleet.kit.rest;

import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.common.util.EmptyInputStream;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The body REST reads is at most {@code edgefleet.api.max-body-bytes}: past it, reading fails ({@link TooLarge})
 * and the answer is the 413 problem of {@link HttpLimits}. That check refuses a declared length before anything is read; this one is for a body whose
 * length nothing declares, which only HTTP/2 can send (DATA frames without {@code content-length}; HTTP/1.1's
 * chunked coding is refused by {@link HttpLimits}). Without it such a body would be read up to Quarkus'
 * {@code quarkus.http.limits.max-body-size} and then refused with a bare 413.
 */
@Provider
public class BodyLimit implements ReaderInterceptor {

    @ConfigProperty(name = "edgefleet.api.max-body-bytes", defaultValue = "65536")
    long maxBodyBytes;

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        InputStream body = context.getInputStream();
        if (body instanceof ByteArrayInputStream buffered) {
            // read whole already (REST buffers a small body): its size is known; left as it is, so that REST still
            // sees an empty body as empty
            if (buffered.available() > maxBodyBytes) {
                throw tooLarge(maxBodyBytes);
            }
        } else if (!(body instanceof EmptyInputStream)) {
            context.setInputStream(new Limited(body, maxBodyBytes));
        }
        return context.proceed();
    }

    static TooLarge tooLarge(long limit) {
        return new TooLarge(limit);
    }

    /**
     * Reading the body failed: it is over the limit. An {@link IOException}, so that Jackson passes it on as it is
     * (it wraps unchecked exceptions with the path being bound); {@link ProblemMappers} answers it with the problem.
     */
    public static final class TooLarge extends IOException {

        private final long limit;

        TooLarge(long limit) {
            super("the request body is more than " + limit + " bytes");
            this.limit = limit;
        }

        Problem toProblem(String instance) {
            return HttpLimits.bodyTooLarge(limit, getMessage(), instance);
        }
    }

    /** Counts what is read; the byte past the limit is a {@link ProblemException}. */
    static final class Limited extends FilterInputStream {

        private final long limit;
        private long read;
        private long marked;

        Limited(InputStream in, long limit) {
            super(in);
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }

        @Override
        public synchronized void mark(int readLimit) {
            super.mark(readLimit);
            marked = read;
        }

        @Override
        public synchronized void reset() throws IOException {
            super.reset();
            read = marked;
        }

        private void count(long n) throws TooLarge {
            read += n;
            if (read > limit) {
                throw tooLarge(limit);
            }
        }
    }
}
