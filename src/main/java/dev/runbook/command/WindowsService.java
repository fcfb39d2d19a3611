package dev.runbook.command;

/** Services the runbook restarts. */
public enum WindowsService {
	MSExchangeTransport, MSExchangeFrontEndTransport
}
