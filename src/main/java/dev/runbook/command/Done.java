package dev.runbook.command;

/** What a command that changes state answers: it ran without error. */
public record Done(String message) {
}
