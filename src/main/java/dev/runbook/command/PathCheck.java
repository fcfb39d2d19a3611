package dev.runbook.command;

/** Test-Path: whether a file exists, as seen from {@code server}. */
public record PathCheck(ServerName server, WindowsPath path, boolean exists) {
}
