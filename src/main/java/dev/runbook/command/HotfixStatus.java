package dev.runbook.command;

/** {@code Get-HotFix}: whether a hotfix is installed (it takes effect at the next restart). */
public record HotfixStatus(ServerName server, HotfixId hotfix, boolean installed) {
}
