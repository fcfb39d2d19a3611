package dev.runbook.command;

/** Get-Item's VersionInfo.ProductVersion of a file, as an Exchange build ({@code 15.00.1497.002} is 15.0.1497.2). */
public record FileVersion(ServerName server, WindowsPath path, ExchangeBuild version) {
}
