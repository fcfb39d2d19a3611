package dev.runbook.winrm.script;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

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
 * constants from the allow-lists below, never values. Organisation-wide reads run on the server the command names
 * ({@code runOn}), like every other command.
 */
public final class ExchangeScripts {

	/** Cmdlets that need the Exchange session. */
	static final Set<String> EXCHANGE_CMDLETS = Set.of("Set-ServerComponentState", "Get-ServerComponentState",
			"Redirect-Message", "Get-Queue", "Set-MailboxServer", "Get-MailboxServer", "Get-MailboxDatabaseCopyStatus",
			"Move-ActiveMailboxDatabase", "Get-ExchangeServer", "Get-DatabaseAvailabilityGroup", "Get-MailboxDatabase",
			"Test-ReplicationHealth", "Test-ServiceHealth");

	/** Windows, failover-cluster, NLB and Active Directory cmdlets, which run in the plain shell. */
	static final Set<String> WINDOWS_CMDLETS = Set.of("Restart-Service", "Suspend-ClusterNode", "Resume-ClusterNode",
			"Get-ClusterNode", "Get-ClusterQuorum", "Get-NlbClusterNode", "Stop-NlbClusterNode",
			"Start-NlbClusterNode", "Suspend-NlbClusterNode", "Resume-NlbClusterNode", "Invoke-WebRequest",
			"Get-ADForest", "Get-ADObject", "Get-NetAdapterBinding", "Get-MpPreference", "Test-NetConnection", "Test-Path");

	private static final ObjectMapper JSON = new ObjectMapper();

	/** Get-ExchangeServer's projection of the server in {@code $s}. */
	private static final String SERVER = "@{Name=\"$($s.Name)\";Fqdn=\"$($s.Fqdn)\";ServerRole=\"$($s.ServerRole)\";"
			+ "AdminDisplayVersion=\"$($s.AdminDisplayVersion)\";Site=\"$($s.Site)\"}";

	private static final String COMPONENT_STATES = "$a=Splat $p.c[0];Send @(Get-ServerComponentState @a|%{@{"
			+ "Component=\"$($_.Component)\";State=\"$($_.State)\";"
			+ "Requests=@(@($_.LocalStates)+@($_.RemoteStates)|?{$_}|%{@{Requester=\"$($_.Requester)\";State=\"$($_.State)\"}})}})";

	private static final String QUEUES = "$a=Splat $p.c[0];Send @(Get-Queue @a|%{@{Identity=\"$($_.Identity)\";"
			+ "DeliveryType=\"$($_.DeliveryType)\";Status=\"$($_.Status)\";MessageCount=[int]$_.MessageCount;"
			+ "NextHopDomain=\"$($_.NextHopDomain)\"}})";

	private static final String CLUSTER_NODE_FIELDS = "@{Name=\"$($_.Name)\";Cluster=\"$($_.Cluster)\";State=\"$($_.State)\";"
			+ "NodeWeight=[int]$_.NodeWeight}";

	private static final String CLUSTER_NODE = "$a=Splat $p.c[0];Send (@(Get-ClusterNode @a|%{" + CLUSTER_NODE_FIELDS + "})[0])";

	private static final String CLUSTER_NODES = "$a=Splat $p.c[0];Send @(Get-ClusterNode @a|%{" + CLUSTER_NODE_FIELDS + "})";

	private static final String CLUSTER_QUORUM = "$a=Splat $p.c[0];$q=Get-ClusterQuorum @a;$r=$q.QuorumResource;"
			+ "Send @{Cluster=\"$($q.Cluster)\";QuorumType=\"$($q.QuorumType)\";QuorumResource=$(if($r){\"$($r.Name)\"});"
			+ "WitnessState=$(if($r){\"$($r.State)\"})}";

	private static final String MAILBOX_SERVER = "$a=Splat $p.c[0];$m=Get-MailboxServer @a;"
			+ "Send @{Name=\"$($m.Name)\";DatabaseAvailabilityGroup=\"$($m.DatabaseAvailabilityGroup)\";"
			+ "DatabaseCopyAutoActivationPolicy=\"$($m.DatabaseCopyAutoActivationPolicy)\";"
			+ "DatabaseCopyActivationDisabledAndMoveNow=[bool]$m.DatabaseCopyActivationDisabledAndMoveNow}";

	/** For one server's copies (-Server) and one database's copies (-Identity DB01\*) alike. */
	private static final String COPY_STATUS = "$a=Splat $p.c[0];Send @(Get-MailboxDatabaseCopyStatus @a|%{@{"
			+ "Name=\"$($_.Name)\";DatabaseName=\"$($_.DatabaseName)\";MailboxServer=\"$($_.MailboxServer)\";"
			+ "Status=\"$($_.Status)\";ActiveCopy=[bool]$_.ActiveCopy;ActivationPreference=[int]$_.ActivationPreference;"
			+ "CopyQueueLength=[long]$_.CopyQueueLength;ReplayQueueLength=[long]$_.ReplayQueueLength;"
			+ "ContentIndexState=\"$($_.ContentIndexState)\"}})";

	/** Answers null when there is no such server, so the directory can say so without an error. */
	private static final String EXCHANGE_SERVER = "$a=Splat $p.c[0];$a.ErrorAction='SilentlyContinue';"
			+ "$s=Get-ExchangeServer @a;Send $(if($s){" + SERVER + "})";

	private static final String EXCHANGE_SERVERS = "$a=Splat $p.c[0];Send @(Get-ExchangeServer @a|%{$s=$_;" + SERVER + "})";

	private static final String DAG = "$a=Splat $p.c[0];$d=Get-DatabaseAvailabilityGroup @a;Send @{Name=\"$($d.Name)\";"
			+ "Servers=@($d.Servers|%{\"$_\"});WitnessServer=\"$($d.WitnessServer)\";WitnessDirectory=\"$($d.WitnessDirectory)\";"
			+ "OperationalServers=@($d.OperationalServers|%{\"$_\"});PrimaryActiveManager=\"$($d.PrimaryActiveManager)\";"
			+ "ReplicationPort=[int]$d.ReplicationPort}";

	/** ActivationPreference is a list of (server, number) pairs; the runbook wants the servers in that order. */
	private static final String DATABASES = "$a=Splat $p.c[0];Send @(Get-MailboxDatabase @a|%{@{Name=\"$($_.Name)\";"
			+ "MasterServerOrAvailabilityGroup=\"$($_.MasterServerOrAvailabilityGroup)\";Server=\"$($_.Server)\";"
			+ "Mounted=[bool]$_.Mounted;ActivationPreference=@($_.ActivationPreference|Sort-Object {[int]$_.Value}|%{\"$($_.Key)\"});"
			+ "EdbFilePath=\"$($_.EdbFilePath)\";LogFolderPath=\"$($_.LogFolderPath)\"}})";

	private static final String REPLICATION_HEALTH = "$a=Splat $p.c[0];Send @(Test-ReplicationHealth @a|%{@{"
			+ "Check=\"$($_.Check)\";Result=\"$($_.Result)\";Error=\"$($_.Error)\"}})";

	/** Exchange refuses to move a database to the server that already holds it: that is the step done. */
	private static final String ACTIVATE_COPY = "$a=Splat $p.c[0];$d=Get-MailboxDatabase -Identity $p.c[0].Identity -Status"
			+ "\nif((\"$($d.Server)\" -split '\\.')[0] -ne ($p.c[0].ActivateOnServer -split '\\.')[0]){Move-ActiveMailboxDatabase @a|Out-Null}"
			+ "\nSend $true";

	private static final String NLB_NODE = "$a=Splat $p.c[0];$n=@(Get-NlbClusterNode @a)[0];"
			+ "Send @{Name=\"$($n.Name)\";Cluster=\"$($n.Cluster)\";State=\"$($n.State)\"}";

	/** Windows PowerShell throws on any status but 2xx: the status (or 0 without an HTTP answer) is the answer. */
	private static final String HEALTH_CHECK = "$a=Splat $p.c[0];$a.TimeoutSec=30"
			+ "\ntry{$r=Invoke-WebRequest @a;$s=[int]$r.StatusCode;$t=\"$($r.Content)\"}catch{$s=0;$t=$_.Exception.Message"
			+ ";if($_.Exception.Response){$s=[int]$_.Exception.Response.StatusCode}}"
			+ "\nSend @{Uri=$p.c[0].Uri;StatusCode=$s;Detail=(\"$t\" -split \"`n\")[0].Trim()}";

	private static final String SERVICE_HEALTH = "$a=Splat $p.c[0];Send @(Test-ServiceHealth @a|%{@{Role=\"$($_.Role)\";"
			+ "RequiredServicesRunning=[bool]$_.RequiredServicesRunning;ServicesNotRunning=@($_.ServicesNotRunning|%{\"$_\"})}})";

	private static final String FOREST = "$f=Get-ADForest;Send @{Name=\"$($f.Name)\";Domains=@($f.Domains|%{\"$_\"});"
			+ "SchemaMaster=\"$($f.SchemaMaster)\"}";

	/**
	 * The raw version numbers; {@link ActiveDirectoryVersions} turns them into builds. An object that is not there
	 * (not prepared) reads as null; any other error fails the script.
	 */
	private static final String DIRECTORY_PREPARATION = "$c=$p.c"
			+ "\nfunction Read-AD($i){$a=Splat $i;try{@(Get-ADObject @a)[0]}catch{if(\"$($_.CategoryInfo.Category)\" -ne 'ObjectNotFound'){throw}}}"
			+ "\n$s=Read-AD $c[0];$o=Read-AD $c[1];$d=@();for($i=2;$i -lt $c.Count;$i++){$x=Read-AD $c[$i]"
			+ ";$d+=@{Domain=$c[$i].Server;ObjectVersion=$(if($x){[int]$x.objectVersion})}}"
			+ "\nSend @{RangeUpper=$(if($s){[int]$s.rangeUpper});OrganizationVersion=$(if($o){[int]$o.objectVersion});Domains=$d}";

	private static final String ADAPTER_BINDINGS = "$a=Splat $p.c[0];Send @(Get-NetAdapterBinding @a|%{@{Name=\"$($_.Name)\";"
			+ "ComponentID=\"$($_.ComponentID)\";Enabled=[bool]$_.Enabled}})";

	/** Where Defender is missing or stopped the exclusions cannot be read: said so, not failed. */
	private static final String DEFENDER = "try{$m=Get-MpPreference;Send @{Readable=$true;ExclusionPath=@($m.ExclusionPath|?{$_})}}"
			+ "catch{Send @{Readable=$false;Reason=\"$($_.Exception.Message)\"}}";

	private static final String PORT = "$a=Splat $p.c[0];$a.WarningAction='SilentlyContinue';$t=Test-NetConnection @a;"
			+ "Send @{TcpTestSucceeded=[bool]$t.TcpTestSucceeded}";

	private static final String PATH = "$a=Splat $p.c[0];Send ([bool](Test-Path @a))";

	private static final String FILE_VERSION = "$a=Splat $p.c[0];$v=(Get-Item @a -ErrorAction Stop).VersionInfo"
			+ ";Send @{ProductVersion=$v.ProductVersion;FileVersion=$v.FileVersion}";

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

	/**
	 * Restart-Computer on the server itself can cut WinRM's answer off, which would read as a failure and be retried
	 * while the server restarts. shutdown.exe restarts five seconds later, after the answer; a restart already
	 * scheduled (exit code 1190) counts as done, so the step can run twice.
	 */
	private static final String RESTART = "& shutdown.exe /r /f /t 5 /d p:2:17 /c 'Exchange cumulative update'"
			+ "\nif($LASTEXITCODE -ne 0 -and $LASTEXITCODE -ne 1190){throw \"shutdown.exe ended with exit code $LASTEXITCODE\"}"
			+ "\nSend $true";

	/** WinRM answers and PowerShell starts: what Test-WSMan means to the runbook. */
	private static final String REACHABLE = "Send $true";

	/** The script body of each read, by command kind. */
	private static final Map<Class<?>, String> READS = Map.ofEntries(
			Map.entry(GetServerComponentState.class, exchange(COMPONENT_STATES, "Get-ServerComponentState")),
			Map.entry(GetQueue.class, exchange(QUEUES, "Get-Queue")),
			Map.entry(GetClusterNode.class, CLUSTER_NODE),
			Map.entry(GetMailboxServer.class, exchange(MAILBOX_SERVER, "Get-MailboxServer")),
			Map.entry(GetMailboxDatabaseCopyStatus.class, exchange(COPY_STATUS, "Get-MailboxDatabaseCopyStatus")),
			Map.entry(GetExchangeServer.class, exchange(EXCHANGE_SERVER, "Get-ExchangeServer")),
			Map.entry(TestPendingReboot.class, PENDING_REBOOT),
			Map.entry(GetSetupStatus.class, SETUP_STATUS),
			Map.entry(GetDatabaseAvailabilityGroup.class, exchange(DAG, "Get-DatabaseAvailabilityGroup")),
			Map.entry(GetExchangeServers.class, exchange(EXCHANGE_SERVERS, "Get-ExchangeServer")),
			Map.entry(GetMailboxDatabases.class, exchange(DATABASES, "Get-MailboxDatabase")),
			Map.entry(GetClusterNodes.class, CLUSTER_NODES),
			Map.entry(GetClusterQuorum.class, CLUSTER_QUORUM),
			Map.entry(TestReplicationHealth.class, exchange(REPLICATION_HEALTH, "Test-ReplicationHealth")),
			Map.entry(GetDatabaseCopies.class, exchange(COPY_STATUS, "Get-MailboxDatabaseCopyStatus")),
			Map.entry(GetNlbClusterNode.class, NLB_NODE),
			Map.entry(InvokeHealthCheck.class, HEALTH_CHECK),
			Map.entry(TestServiceHealth.class, exchange(SERVICE_HEALTH, "Test-ServiceHealth")),
			Map.entry(GetADForest.class, FOREST),
			Map.entry(GetActiveDirectoryPreparation.class, DIRECTORY_PREPARATION),
			Map.entry(GetNetAdapterBinding.class, ADAPTER_BINDINGS),
			Map.entry(GetMpPreference.class, DEFENDER),
			Map.entry(TestNetConnection.class, PORT),
			Map.entry(TestPath.class, PATH),
			Map.entry(GetFileVersion.class, FILE_VERSION));

	private ExchangeScripts() {
	}

	/** The script that runs {@code command} on its server. */
	public static Script forCommand(ExchangeCommand<?> command) {
		CommandLine line = command.commandLine();
		String kind = command.getClass().getSimpleName();
		if (command instanceof StartSetup) {
			List<String> natives = line.invocations().stream().flatMap(i -> i.parameters().stream())
					.filter(CommandLine.Parameter::nativeArgument).map(CommandLine.Parameter::name).toList();
			return new Script(kind, START_SETUP, payload(line, Map.of("native", natives, "task", setupTaskName(command.server()))));
		}
		if (command instanceof ActivateDatabaseCopy) {
			return new Script(kind, exchange(ACTIVATE_COPY, "Move-ActiveMailboxDatabase", "Get-MailboxDatabase"),
					payload(line, Map.of()));
		}
		if (command instanceof RestartComputer) {
			return new Script(kind, RESTART, payload(line, Map.of()));
		}
		if (command instanceof Change) {
			return new Script(kind, change(line.program()), payload(line, Map.of()));
		}
		if (command instanceof TestWSMan) {
			return reachable();
		}
		String body = READS.get(command.getClass());
		if (body == null) {
			throw new IllegalArgumentException("The remote executors have no script for " + kind
					+ " (the Exchange 2003 cluster commands run in the lab only so far).");
		}
		return new Script(kind, body, payload(line, Map.of()));
	}

	/** A script that only proves the server answers. */
	public static Script reachable() {
		return new Script("TestWSMan", REACHABLE, "{}");
	}

	/** The task name {@link GetSetupStatus} reads, so that both agree by construction. */
	private static String setupTaskName(ServerName server) {
		return (String) new GetSetupStatus(server).commandLine().invocations().get(0).parameters().get(0).value();
	}

	private static String change(String cmdlet) {
		String call = "$a=Splat $p.c[0];" + allowed(cmdlet) + " @a|Out-Null;Send $true";
		return EXCHANGE_CMDLETS.contains(cmdlet) ? exchange(call, cmdlet) : call;
	}

	/** Opens the Exchange session with the cmdlets the body uses, before the body. */
	private static String exchange(String body, String... cmdlets) {
		return "Use-Exchange " + Stream.of(cmdlets).map(c -> "'" + allowed(c) + "'").collect(Collectors.joining(","))
				+ "\n" + body;
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
