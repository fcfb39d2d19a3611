package dev.runbook.command;

/** Get-MailboxServer's DatabaseCopy* properties. */
public record MailboxServerSettings(ServerName name, String databaseAvailabilityGroup,
		AutoActivationPolicy databaseCopyAutoActivationPolicy, boolean databaseCopyActivationDisabledAndMoveNow) {
}
