package io.edgefleet.gateway.tasks;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an object store's error answer into one line: S3's XML error body names a {@code <Code>}
 * (NoSuchBucket, SignatureDoesNotMatch, InvalidAccessKeyId, AccessDenied, ...) and a {@code <Message>}
 * ("Request has expired", ...). Read with a bounded regular expression, not an XML parser: the body comes
 * from the network and only two elements matter.
 */
final class S3Errors {

    static final int MAX_BODY = 16 * 1024;
    private static final Pattern CODE = Pattern.compile("<Code>([^<]{1,200})</Code>");
    private static final Pattern MESSAGE = Pattern.compile("<Message>([^<]{1,500})</Message>");

    private S3Errors() {}

    /** E.g. "HTTP 404 NoSuchBucket: The specified bucket does not exist". */
    static String describe(int status, String body) {
        String code = first(CODE, body);
        String message = first(MESSAGE, body);
        StringBuilder line = new StringBuilder("HTTP ").append(status);
        if (code != null) {
            line.append(' ').append(code);
        }
        if (message != null) {
            line.append(": ").append(message);
        }
        if (code == null && message == null) {
            line.append(status == 403 ? " (access denied; the presigned URL may have expired or be wrong)" : "");
        }
        return line.toString();
    }

    private static String first(Pattern pattern, String body) {
        if (body == null) {
            return null;
        }
        Matcher m = pattern.matcher(body.length() > MAX_BODY ? body.substring(0, MAX_BODY) : body);
        return m.find() ? unescape(m.group(1).strip()) : null;
    }

    private static String unescape(String xml) {
        String text = xml.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'")
                .replace("&amp;", "&");
        return text.codePoints()
                .map(c -> Character.isISOControl(c) ? ' ' : c)
                .limit(300)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
    }
}
