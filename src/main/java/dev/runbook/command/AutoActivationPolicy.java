package dev.runbook.command;

/** Set-MailboxServer -DatabaseCopyAutoActivationPolicy. */
public enum AutoActivationPolicy {
	Unrestricted, IntrasiteOnly, Blocked
}
