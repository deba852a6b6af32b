package io.edgefleet.kit.rest;

import jakarta.ws.rs.QueryParam;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The {@code page} and {@code size} query parameters of every list endpoint (a {@code @BeanParam}): the same
 * documentation, limits and errors everywhere. Taken as text so that a bad value is a named 400 like the other
 * filters, reported together with them. (profile-service's lists keep their own
 * parameters: its released document has them without {@code format}, and the SDK's compatibility check counts a
 * changed format as a break.)
 */
public class PageQuery {

    public static final int MAX_PAGE = 1_000_000;
    public static final int MAX_SIZE = 200;
    public static final int DEFAULT_SIZE = 50;

    @Parameter(
            description = "page number, from 0",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "0",
                            maximum = "1000000",
                            defaultValue = "0"))
    @QueryParam("page")
    public String page;

    @Parameter(
            description = "page size",
            schema =
                    @Schema(
                            type = SchemaType.INTEGER,
                            format = "int32",
                            minimum = "1",
                            maximum = "200",
                            defaultValue = "50"))
    @QueryParam("size")
    public String size;

    /** The page number (0 when not given); a bad one is added to {@code v}. */
    public int page(Validator v) {
        return QueryParams.intValue(v, "page", page, 0, 0, MAX_PAGE);
    }

    /** The page size ({@link #DEFAULT_SIZE} when not given); a bad one is added to {@code v}. */
    public int size(Validator v) {
        return QueryParams.intValue(v, "size", size, DEFAULT_SIZE, 1, MAX_SIZE);
    }
}
