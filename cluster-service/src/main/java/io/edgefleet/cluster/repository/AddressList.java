package io.edgefleet.cluster.repository;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import java.util.Arrays;
import java.util.List;

/**
 * A node's addresses in one text column, separated by single spaces (an IP address holds none). Not JSON: Hibernate
 * Reactive binds JSON columns as objects, and a list is an array.
 */
@Converter
public class AddressList implements AttributeConverter<List<String>, String> {

    @Override
    public String convertToDatabaseColumn(List<String> addresses) {
        return addresses == null ? "" : String.join(" ", addresses);
    }

    @Override
    public List<String> convertToEntityAttribute(String column) {
        return column == null || column.isBlank()
                ? List.of()
                : Arrays.stream(column.trim().split(" +")).toList();
    }
}
