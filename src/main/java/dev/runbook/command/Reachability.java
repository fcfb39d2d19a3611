package dev.runbook.command;

/** Test-WSMan: whether the server answers remote management again. */
public record Reachability(ServerName server, boolean reachable) {
}
