package dev.runbook.lab;

/**
 * A fault as {@code /api/lab/faults} takes and shows it: {@code fault} is a {@link LabFault#id()}, {@code times} how many
 * commands it still affects (1 when an order leaves it out).
 */
public record LabFaultView(String server, String fault, Integer times) {
}
