package dev.runbook.command;

/** Test-NetConnection -Port: whether a TCP connection from {@code server} to {@code target} on {@code port} opened. */
public record PortTest(ServerName server, ServerName target, int port, boolean tcpTestSucceeded) {
}
