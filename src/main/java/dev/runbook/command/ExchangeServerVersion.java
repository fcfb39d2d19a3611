package dev.runbook.command;

/**
 * WMI's {@code Exchange_Server} (namespace {@code root\MicrosoftExchangeV2}) for one Exchange 2003 server or virtual
 * server: the version the directory records, e.g. {@code Version 6.5 (Build 7226.6: Service Pack 1)}. For a virtual
 * server it changes only when "Upgrade Exchange Virtual Server" has run.
 */
public record ExchangeServerVersion(ServerName server, ExchangeBuild build, String exchangeVersion) {
}
