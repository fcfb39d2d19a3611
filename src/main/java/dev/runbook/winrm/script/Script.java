package dev.runbook.winrm.script;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One fixed PowerShell script and the values it binds. The values travel as one base64 literal of UTF-8 JSON, which
 * the script decodes and binds to parameters: base64 has no quote, so no value can ever change the script's text.
 *
 * @param kind what the script does, e.g. {@code GetQueue}
 * @param body the fixed statements, run after the {@link #PROLOGUE} inside its try block
 * @param payloadJson the values, as JSON
 */
public record Script(String kind, String body, String payloadJson) {

	/** Marks where the payload goes in {@link #template()}. */
	public static final String PAYLOAD_MARK = "%PAYLOAD%";
	public static final String RESULT_SENTINEL = "#RUNBOOK-RESULT#";
	public static final String ERROR_SENTINEL = "#RUNBOOK-ERROR#";

	/**
	 * What every script starts with. Output is JSON, UTF-8, base64 behind a sentinel line: Windows PowerShell 5.1 over
	 * WinRS writes in code page 437, and Exchange and profiles may write other lines. {@code Use-Exchange} opens the
	 * Exchange session on this server itself, so the script never needs to know the server's name; it imports the
	 * session's commands globally, as a function must for the rest of the script to see them.
	 */
	static final String PROLOGUE = """
			$ErrorActionPreference='Stop';$ProgressPreference='SilentlyContinue';$x=$null
			$p=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('%PAYLOAD%'))|ConvertFrom-Json
			function Out-B64($s,$t){[Console]::Out.WriteLine($t+[Convert]::ToBase64String([Text.Encoding]::UTF8.GetBytes($s)))}
			function Send($o){Out-B64 (ConvertTo-Json -InputObject $o -Compress -Depth 6) '#RUNBOOK-RESULT#'}
			function Splat($i){$h=@{ErrorAction='Stop'};if($i){$i.PSObject.Properties|%{$h[$_.Name]=$_.Value}};$h}
			function Use-Exchange([string[]]$c){$f=[Net.Dns]::GetHostEntry($env:COMPUTERNAME).HostName
			$script:x=New-PSSession -ConfigurationName Microsoft.Exchange -ConnectionUri "http://$f/PowerShell/" -Authentication Kerberos
			Import-Module (Import-PSSession $script:x -CommandName $c -DisableNameChecking -AllowClobber) -Global -DisableNameChecking|Out-Null}
			$rc=0
			try{
			""";

	static final String EPILOGUE = """

			}catch{Out-B64 "$($_.Exception.Message)" '#RUNBOOK-ERROR#';$rc=1}
			if($script:x){Remove-PSSession $script:x -ErrorAction SilentlyContinue}
			exit $rc
			""";

	private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/=]*");

	/** The script as it runs. */
	public String text() {
		String payload = Base64.getEncoder().encodeToString(payloadJson.getBytes(StandardCharsets.UTF_8));
		if (!BASE64.matcher(payload).matches()) {
			throw new IllegalStateException("A payload must be plain base64.");
		}
		return template().replace(PAYLOAD_MARK, payload);
	}

	/** The fixed text: the same for every run of this kind, whatever the values. */
	public String template() {
		return PROLOGUE + body + EPILOGUE;
	}

	/** What {@code powershell.exe -EncodedCommand} takes: base64 of the UTF-16LE text. */
	public String encodedCommand() {
		return Base64.getEncoder().encodeToString(text().getBytes(StandardCharsets.UTF_16LE));
	}

	/** Recovers the script text from {@code -EncodedCommand}'s argument, as PowerShell reads it. */
	public static String decodeCommand(String encodedCommand) {
		return new String(Base64.getDecoder().decode(encodedCommand), StandardCharsets.UTF_16LE);
	}
}
