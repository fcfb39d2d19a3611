package dev.runbook.winrm.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.CommandLine;
import dev.runbook.command.ExchangeCommand;
import dev.runbook.command.ExchangeCommand.*;
import dev.runbook.command.ServerName;

/**
 * The fixed script for each command of the catalogue. Values come from the command's {@link CommandLine} (the
 * catalogue's one description of its parameters) and travel in the payload as {@code c}: one object of named
 * parameters per invocation, which the script splats onto the cmdlet. The cmdlet names written into script text are
 * constants from the allow-lists below, never values.
 */
public final class ExchangeScripts {

	/** Cmdlets that need the Exchange session. */
	static final Set<String> EXCHANGE_CMDLETS = Set.of("Set-ServerComponentState", "Get-ServerComponentState",
			"Redirect-Message", "Get-Queue", "Set-MailboxServer", "Get-MailboxServer", "Get-MailboxDatabaseCopyStatus",
			"Move-ActiveMailboxDatabase", "Get-ExchangeServer", "Get-DatabaseAvailabilityGroup");

	/** Windows and failover-cluster cmdlets, which run in the plain shell. */
	static final Set<String> WINDOWS_CMDLETS = Set.of("Restart-Service", "Suspend-ClusterNode", "Resume-ClusterNode",
			"Get-ClusterNode", "Restart-Computer");

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String COMPONENT_STATES = "$a=Splat $p.c[0];Send @(Get-ServerComponentState @a|%{@{"
			+ "Component=\"$($_.Component)\";State=\"$($_.State)\";"
			+ "Requests=@(@($_.LocalStates)+@($_.RemoteStates)|?{$_}|%{@{Requester=\"$($_.Requester)\";State=\"$($_.State)\"}})}})";

	private static final String QUEUES = "$a=Splat $p.c[0];Send @(Get-Queue @a|%{@{Identity=\"$($_.Identity)\";"
			+ "DeliveryType=\"$($_.DeliveryType)\";Status=\"$($_.Status)\";MessageCount=[int]$_.MessageCount;"
			+ "NextHopDomain=\"$($_.NextHopDomain)\"}})";

	private static final String CLUSTER_NODE = "$a=Splat $p.c[0];$n=Get-ClusterNode @a;"
			+ "Send @{Name=\"$($n.Name)\";Cluster=\"$($n.Cluster)\";State=\"$($n.State)\"}";

	private static final String MAILBOX_SERVER = "$a=Splat $p.c[0];$m=Get-MailboxServer @a;"
			+ "Send @{Name=\"$($m.Name)\";DatabaseAvailabilityGroup=\"$($m.DatabaseAvailabilityGroup)\";"
			+ "DatabaseCopyAutoActivationPolicy=\"$($m.DatabaseCopyAutoActivationPolicy)\";"
			+ "DatabaseCopyActivationDisabledAndMoveNow=[bool]$m.DatabaseCopyActivationDisabledAndMoveNow}";

	private static final String COPY_STATUS = "$a=Splat $p.c[0];Send @(Get-MailboxDatabaseCopyStatus @a|%{@{"
			+ "Name=\"$($_.Name)\";DatabaseName=\"$($_.DatabaseName)\";MailboxServer=\"$($_.MailboxServer)\";"
			+ "Status=\"$($_.Status)\";ActiveCopy=[bool]$_.ActiveCopy;ActivationPreference=[int]$_.ActivationPreference;"
			+ "CopyQueueLength=[long]$_.CopyQueueLength;ReplayQueueLength=[long]$_.ReplayQueueLength;"
			+ "ContentIndexState=\"$($_.ContentIndexState)\"}})";

	/** Answers null when there is no such server, so the directory can say so without an error. */
	private static final String EXCHANGE_SERVER = "$a=Splat $p.c[0];$a.ErrorAction='SilentlyContinue';"
			+ "$s=Get-ExchangeServer @a;Send $(if($s){@{Name=\"$($s.Name)\";Fqdn=\"$($s.Fqdn)\";"
			+ "ServerRole=\"$($s.ServerRole)\";AdminDisplayVersion=\"$($s.AdminDisplayVersion)\";Site=\"$($s.Site)\"}})";

	private static final String DAG_MEMBERS = "$a=Splat $p.c[0];$a.ErrorAction='SilentlyContinue';"
			+ "$d=Get-DatabaseAvailabilityGroup @a;Send @($d.Servers|%{\"$_\"})";

	private static final String PENDING_REBOOT = "$r=@();$c=$p.c"
			+ ";if(Test-Path -LiteralPath $c[0].LiteralPath){$r+='Component Based Servicing'}"
			+ ";if(Test-Path -LiteralPath $c[1].LiteralPath){$r+='Windows Update'}"
			+ ";if((Get-ItemProperty -LiteralPath $c[2].LiteralPath -Name $c[2].Name -ErrorAction SilentlyContinue).($c[2].Name)){$r+=$c[2].Name}"
			+ ";Send @{Pending=($r.Count -gt 0);Reasons=$r}";

	/**
	 * Setup runs as a scheduled task, so that it survives the end of this WinRM shell and WinRM restarting mid-run.
	 * A second call while setup runs starts nothing.
	 */
	private static final String START_SETUP = "$d=$p.c[0].LiteralPath;$n=$p.task;$t=Get-ScheduledTask -TaskName $n -ErrorAction SilentlyContinue"
			+ "\nif(-not(Get-Process ExSetup -ErrorAction SilentlyContinue) -and \"$($t.State)\" -ne 'Running'){"
			+ "if($t){Unregister-ScheduledTask -TaskName $n -Confirm:$false}"
			+ "\n$e=New-ScheduledTaskAction -Execute ('\"'+(Join-Path $d 'Setup.exe')+'\"') -Argument ($p.native -join ' ') -WorkingDirectory $d"
			+ "\nRegister-ScheduledTask -TaskName $n -Action $e -User 'NT AUTHORITY\\SYSTEM' -RunLevel Highest -Force|Out-Null"
			+ ";Start-ScheduledTask -TaskName $n}"
			+ "\nSend $true";

	/**
	 * The facts setup's outcome is judged on; {@link ResultReader} judges. Only the log of the latest setup run counts:
	 * ExchangeSetup.log keeps every run, including an earlier successful one.
	 */
	private static final String SETUP_STATUS = "$c=$p.c;$n=$c[0].TaskName;$t=Get-ScheduledTask -TaskName $n -ErrorAction SilentlyContinue"
			+ ";$i=$(if($t){Get-ScheduledTaskInfo -TaskName $n})"
			+ "\n$w=[bool](Get-ItemProperty -Path $c[1].Path -ErrorAction SilentlyContinue|?{$_.Watermark -or $_.Action})"
			+ "\n$s=$false;$e=@();$l=$c[2].LiteralPath"
			+ "\nif(Test-Path -LiteralPath $l){$r=@(Get-Content -LiteralPath $l);$k=0"
			+ ";for($j=$r.Count-1;$j -ge 0;$j--){if($r[$j] -like '*Starting Microsoft Exchange Server*Setup*'){$k=$j;break}}"
			+ ";$r=$r[$k..($r.Count-1)];$s=[bool]($r|?{$_ -like '*The Exchange Server setup operation completed successfully*'})"
			+ ";$e=@($r|?{$_.Contains($c[2].Pattern)}|Select-Object -Last 20)}"
			+ "\nSend @{Task=$(if($t){\"$($t.State)\"});LastTaskResult=$(if($i -and $i.LastRunTime){[long]$i.LastTaskResult})"
			+ ";ExSetupRunning=[bool](Get-Process ExSetup -ErrorAction SilentlyContinue);Watermark=$w;SuccessLine=$s;Errors=$e}";

	/** WinRM answers and PowerShell starts: what Test-WSMan means to the runbook. */
	private static final String REACHABLE = "Send $true";

	private ExchangeScripts() {
	}

	/** The script that runs {@code command} on its server. */
	public static Script forCommand(ExchangeCommand<?> command) {
		CommandLine line = command.commandLine();
		String kind = command.getClass().getSimpleName();
		if (command instanceof Change && !(command instanceof StartSetup)) {
			return new Script(kind, change(line.program()), payload(line, Map.of()));
		}
		if (command instanceof GetServerComponentState) {
			return new Script(kind, exchange(line, COMPONENT_STATES), payload(line, Map.of()));
		} else if (command instanceof GetQueue) {
			return new Script(kind, exchange(line, QUEUES), payload(line, Map.of()));
		} else if (command instanceof GetClusterNode) {
			return new Script(kind, CLUSTER_NODE, payload(line, Map.of()));
		} else if (command instanceof GetMailboxServer) {
			return new Script(kind, exchange(line, MAILBOX_SERVER), payload(line, Map.of()));
		} else if (command instanceof GetMailboxDatabaseCopyStatus) {
			return new Script(kind, exchange(line, COPY_STATUS), payload(line, Map.of()));
		} else if (command instanceof GetExchangeServer) {
			return new Script(kind, exchange(line, EXCHANGE_SERVER), payload(line, Map.of()));
		} else if (command instanceof TestPendingReboot) {
			return new Script(kind, PENDING_REBOOT, payload(line, Map.of()));
		} else if (command instanceof StartSetup) {
			List<String> natives = line.invocations().stream().flatMap(i -> i.parameters().stream())
					.filter(CommandLine.Parameter::nativeArgument).map(CommandLine.Parameter::name).toList();
			return new Script(kind, START_SETUP, payload(line, Map.of("native", natives, "task", setupTaskName(command.server()))));
		} else if (command instanceof GetSetupStatus) {
			return new Script(kind, SETUP_STATUS, payload(line, Map.of()));
		} else if (command instanceof TestWSMan) {
			return reachable();
		}
		throw new IllegalArgumentException("No script for " + kind + ".");
	}

	/** A script that only proves the server answers. */
	public static Script reachable() {
		return new Script("TestWSMan", REACHABLE, "{}");
	}

	/** Get-ExchangeServer for the directory: answers null for an unknown server instead of failing. */
	public static Script findServer(ServerName name) {
		return forCommand(new GetExchangeServer(name));
	}

	/** The members of a DAG, by name. */
	public static Script dagMembers(String dag) {
		CommandLine line = CommandLine.of("Get-DatabaseAvailabilityGroup").param("Identity", dag).build();
		return new Script("GetDatabaseAvailabilityGroup", exchange(line, DAG_MEMBERS), payload(line, Map.of()));
	}

	/** Every script kind, for checks that must cover all of them. */
	public static List<String> kinds() {
		return List.of(ExchangeCommand.class.getPermittedSubclasses()).stream()
				.flatMap(k -> k.isInterface() ? List.of(k.getPermittedSubclasses()).stream() : java.util.stream.Stream.of(k))
				.map(Class::getSimpleName).toList();
	}

	/** The task name {@link GetSetupStatus} reads, so that both agree by construction. */
	private static String setupTaskName(ServerName server) {
		return (String) new GetSetupStatus(server).commandLine().invocations().get(0).parameters().get(0).value();
	}

	private static String change(String cmdlet) {
		String call = "$a=Splat $p.c[0];" + allowed(cmdlet) + " @a|Out-Null;Send $true";
		return EXCHANGE_CMDLETS.contains(cmdlet) ? useExchange(cmdlet) + call : call;
	}

	private static String exchange(CommandLine line, String body) {
		return useExchange(allowed(line.program())) + body;
	}

	private static String useExchange(String cmdlet) {
		return "Use-Exchange '" + cmdlet + "'\n";
	}

	private static String allowed(String cmdlet) {
		if (!EXCHANGE_CMDLETS.contains(cmdlet) && !WINDOWS_CMDLETS.contains(cmdlet)) {
			throw new IllegalArgumentException("Cmdlet '" + cmdlet + "' is not on the remote executor's allow-list.");
		}
		return cmdlet;
	}

	/** {@code {"c":[{named parameters of invocation 1}, …], …extra}}; switches become {@code true}. */
	private static String payload(CommandLine line, Map<String, Object> extra) {
		List<Map<String, Object>> calls = new ArrayList<>();
		for (CommandLine.Invocation invocation : line.invocations()) {
			Map<String, Object> named = new LinkedHashMap<>();
			for (CommandLine.Parameter p : invocation.parameters()) {
				if (!p.nativeArgument()) {
					named.put(p.name(), p.value() == null ? Boolean.TRUE : p.value());
				}
			}
			calls.add(named);
		}
		Map<String, Object> payload = new LinkedHashMap<>();
		payload.put("c", calls);
		payload.putAll(extra);
		try {
			return JSON.writeValueAsString(payload);
		} catch (JsonProcessingException e) {
			throw new IllegalStateException(e);
		}
	}
}
