package dev.runbook.exchange2003;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.camunda.bpm.engine.BadUserRequestException;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.ExecutionListener;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.Exchange2003Directory;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ExchangeCommand.StartServicePackInstaller;
import dev.runbook.command.HotfixId;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * Refuses an Exchange 2003 cluster upgrade before anything runs: {@code cluster} must be a cluster the directory knows,
 * with a passive node; {@code targetBuild} an Exchange 2003 build newer than some of its servers and older than none;
 * {@code installerPath} the service pack's update.exe; the optional {@code unattendFile} (default: unattend.ini beside
 * update.exe) and {@code hotfixPath} (the hotfix 831464 package) absolute paths; and no other upgrade of the same
 * cluster may be running. Asks the directory, never the shell, so a refused request leaves no trace on any server.
 * Stores the variables in canonical form, and the cluster's layout for the forms.
 */
@Component("clusterUpgradeRequest")
public class ClusterUpgradeRequest implements ExecutionListener {

	static final String PROCESS = "exchange2003-cluster-upgrade";

	/** Empty with an executor that has no directory of Exchange 2003 clusters: every request is then refused. */
	private final Optional<Exchange2003Directory> directory;
	private final String defaultHotfixPath;

	public ClusterUpgradeRequest(Optional<Exchange2003Directory> directory,
			@Value("${runbook.exchange2003.hotfix-path:D:\\Media\\KB831464\\WindowsServer2003-KB831464-x86-ENU.exe}") String defaultHotfixPath) {
		this.directory = directory;
		this.defaultHotfixPath = defaultHotfixPath;
	}

	@Override
	public void notify(DelegateExecution execution) {
		ServerName name = parse(() -> ServerName.of(text(execution, "cluster")));
		Exchange2003ClusterInfo cluster = directory
				.orElseThrow(() -> refuse("This executor has no directory of Exchange 2003 clusters.")).findCluster(name)
				.orElseThrow(() -> refuse(name + " is not an Exchange 2003 cluster of this organisation."));
		ExchangeBuild target = parse(() -> ExchangeBuild.parse(text(execution, "targetBuild")));
		checkTarget(cluster, target);
		WindowsPath installer = parse(() -> StartServicePackInstaller.requireUpdateExe(WindowsPath.of(text(execution, "installerPath"))));
		String unattend = text(execution, "unattendFile");
		WindowsPath unattendFile = parse(() -> WindowsPath.of(unattend == null || unattend.isBlank()
				? installer.folder() + "\\unattend.ini" : unattend));
		String hotfix = text(execution, "hotfixPath");
		WindowsPath hotfixPath = parse(() -> HotfixId.KB831464.requirePackage(WindowsPath.of(hotfix == null || hotfix.isBlank()
				? defaultHotfixPath : hotfix)));
		List<ServerName> owners = cluster.virtualServers().stream().map(Exchange2003ClusterInfo.VirtualServer::owner).toList();
		if (cluster.nodes().stream().allMatch(n -> owners.contains(n.name()))) {
			throw refuse("Every node of " + cluster.name() + " owns a virtual server: this runbook upgrades a cluster with a passive node.");
		}
		refuseWhileAnotherRuns(execution, cluster.name());

		execution.setVariable("cluster", cluster.name().value());
		execution.setVariable("targetBuild", target.toString());
		execution.setVariable("installerPath", installer.value());
		execution.setVariable("unattendFile", unattendFile.value());
		execution.setVariable("hotfixPath", hotfixPath.value());
		execution.setVariable("clusterNodes", names(cluster.nodes().stream().map(Exchange2003ClusterInfo.Node::name)));
		execution.setVariable("virtualServers", names(cluster.virtualServers().stream().map(Exchange2003ClusterInfo.VirtualServer::name)));
		execution.setVariable("frontEndServers", names(cluster.frontEnds().stream().map(Exchange2003ClusterInfo.FrontEnd::name)));
	}

	/** The target is a build of the installed version, newer than some server, older than none. */
	private static void checkTarget(Exchange2003ClusterInfo cluster, ExchangeBuild target) {
		List<String> newer = new ArrayList<>();
		boolean below = false;
		for (var entry : builds(cluster)) {
			ExchangeBuild build = entry.build();
			if (!target.sameVersionAs(build)) {
				throw refuse("Target build " + target + " is not an Exchange 2003 build like " + entry.server() + "'s " + build
						+ ": a service pack stays within " + build.major() + "." + build.minor() + ".");
			}
			if (build.isNewerThan(target)) {
				newer.add(entry.server() + " (" + build + ")");
			}
			below |= target.isNewerThan(build);
		}
		if (!newer.isEmpty()) {
			throw refuse("Target build " + target + " is older than " + String.join(", ", newer) + ".");
		}
		if (!below) {
			throw refuse("Every server and virtual server of " + cluster.name() + " is already at " + target + ".");
		}
	}

	private record ServerBuild(ServerName server, ExchangeBuild build) {
	}

	private static List<ServerBuild> builds(Exchange2003ClusterInfo cluster) {
		return Stream.of(
				cluster.nodes().stream().map(n -> new ServerBuild(n.name(), n.build())),
				cluster.virtualServers().stream().map(v -> new ServerBuild(v.name(), v.version())),
				cluster.frontEnds().stream().map(f -> new ServerBuild(f.name(), f.build())))
				.flatMap(s -> s).toList();
	}

	/** One upgrade of a cluster at a time: two would move the same groups and run setup twice. */
	private static void refuseWhileAnotherRuns(DelegateExecution execution, ServerName cluster) {
		List<ProcessInstance> running = execution.getProcessEngineServices().getRuntimeService().createProcessInstanceQuery()
				.processDefinitionKey(PROCESS).variableValueEquals("cluster", cluster.value()).list().stream()
				.filter(p -> !p.getId().equals(execution.getProcessInstanceId())).toList();
		if (!running.isEmpty()) {
			throw refuse("An upgrade of " + cluster + " is already running (process instance " + running.get(0).getId()
					+ (running.get(0).getBusinessKey() == null ? "" : ", business key " + running.get(0).getBusinessKey())
					+ "). Let it finish, or cancel it, before starting another.");
		}
	}

	private static String names(Stream<ServerName> names) {
		return names.map(ServerName::value).collect(Collectors.joining(", "));
	}

	private static String text(DelegateExecution execution, String variable) {
		Object value = execution.getVariable(variable);
		if (value != null && !(value instanceof String)) {
			throw refuse("Variable '" + variable + "' must be text, not " + value.getClass().getSimpleName() + ".");
		}
		return (String) value;
	}

	private static <T> T parse(Supplier<T> parser) {
		try {
			return parser.get();
		} catch (InvalidInputException e) {
			throw refuse(e.getMessage());
		}
	}

	private static BadUserRequestException refuse(String reason) {
		return new BadUserRequestException("Request refused: " + reason);
	}
}
