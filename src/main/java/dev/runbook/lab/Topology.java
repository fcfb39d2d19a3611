package dev.runbook.lab;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.runbook.command.DagName;
import dev.runbook.command.DatabaseName;
import dev.runbook.command.DomainName;
import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.RawInput;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * The document the lab is built from: the organisation's DAGs with their databases (copies in activation-preference
 * order), Client Access servers with their NLB clusters, installation media, and per-server starting conditions.
 */
public record Topology(String organisation, String domain, String build, List<Media> media, List<Dag> dags,
		List<ClientAccess> clientAccess, List<ServerCondition> conditions, ActiveDirectory activeDirectory,
		Exchange2003Topology exchange2003) {

	public static final String BUNDLED = "lab/default-topology.json";

	public Topology {
		media = media == null ? List.of() : List.copyOf(media);
		dags = dags == null ? List.of() : List.copyOf(dags);
		clientAccess = clientAccess == null ? List.of() : List.copyOf(clientAccess);
		conditions = conditions == null ? List.of() : List.copyOf(conditions);
		domain = domain == null ? "contoso.local" : domain;
		organisation = organisation == null ? "Contoso" : organisation;
		activeDirectory = activeDirectory == null ? new ActiveDirectory(null, null, null) : activeDirectory;
		exchange2003 = exchange2003 == null ? Exchange2003Topology.none() : exchange2003;
	}

	/** An organisation in a one-domain forest, prepared for its own build. */
	public Topology(String organisation, String domain, String build, List<Media> media, List<Dag> dags,
			List<ClientAccess> clientAccess, List<ServerCondition> conditions) {
		this(organisation, domain, build, media, dags, clientAccess, conditions, null);
	}

	/** A topology without Exchange 2003 servers. */
	public Topology(String organisation, String domain, String build, List<Media> media, List<Dag> dags,
			List<ClientAccess> clientAccess, List<ServerCondition> conditions, ActiveDirectory activeDirectory) {
		this(organisation, domain, build, media, dags, clientAccess, conditions, activeDirectory, null);
	}

	/** Installation media reachable from the servers: the path of Setup.exe and the build it installs. */
	public record Media(String path, String build) {
	}

	/** {@code witnessOffline}: the file share witness does not answer, so it lends the cluster no vote. */
	public record Dag(String name, String witnessServer, List<String> members, List<Database> databases,
			Boolean witnessOffline) {
		public Dag {
			members = members == null ? List.of() : List.copyOf(members);
			databases = databases == null ? List.of() : List.copyOf(databases);
		}

		public Dag(String name, String witnessServer, List<String> members, List<Database> databases) {
			this(name, witnessServer, members, databases, null);
		}
	}

	/** {@code copies} in activation-preference order: the first holds the active copy at the start. */
	public record Database(String name, List<String> copies) {
		public Database {
			copies = copies == null ? List.of() : List.copyOf(copies);
		}
	}

	public record ClientAccess(String name, String nlbCluster) {
	}

	/**
	 * A starting condition that differs from a healthy server at the organisation's build. Unset fields keep the
	 * healthy default: IPv6 bound, Defender installed with the Exchange folders excluded, every port open, the media
	 * reachable, the cluster node up.
	 */
	public record ServerCondition(String server, String build, Boolean pendingReboot, Boolean ipv6Disabled,
			Boolean defenderAbsent, Boolean antivirusExclusionsMissing, List<Integer> blockedPorts,
			Boolean mediaUnreachable, Boolean clusterNodeDown) {
		public ServerCondition {
			blockedPorts = blockedPorts == null ? List.of() : List.copyOf(blockedPorts);
		}

		public ServerCondition(String server, String build, Boolean pendingReboot) {
			this(server, build, pendingReboot, null, null, null, null, null, null);
		}
	}

	/**
	 * The forest: {@code otherDomains} are its domains besides the organisation's own ({@code domain}, the forest
	 * root). The schema and the organisation are prepared for the given builds; by default for the organisation's
	 * build. Each domain starts prepared as the organisation is.
	 */
	public record ActiveDirectory(List<String> otherDomains, String schemaPreparedFor, String organizationPreparedFor) {
		public ActiveDirectory {
			otherDomains = otherDomains == null ? List.of() : List.copyOf(otherDomains);
		}
	}

	private static final ObjectMapper JSON = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

	public static Topology read(InputStream in) throws IOException {
		Topology topology = JSON.readValue(in, Topology.class);
		if (topology == null) {
			throw new InvalidInputException("The topology document is empty.");
		}
		return topology.validated();
	}

	public static Topology bundledDefault() {
		try (InputStream in = Topology.class.getClassLoader().getResourceAsStream(BUNDLED)) {
			return read(in);
		} catch (IOException e) {
			throw new IllegalStateException("The bundled lab topology cannot be read", e);
		}
	}

	/** Refuses a document that names a server twice, a copy on a server outside its DAG, or a bad name or build. */
	public Topology validated() {
		ExchangeBuild.parse(build);
		Set<DomainName> domains = new HashSet<>();
		domains.add(DomainName.of(domain));
		for (String other : activeDirectory.otherDomains()) {
			if (!domains.add(DomainName.of(other))) {
				throw new InvalidInputException("Domain " + other + " appears twice in the topology.");
			}
		}
		if (activeDirectory.schemaPreparedFor() != null) {
			ExchangeBuild.parse(activeDirectory.schemaPreparedFor());
		}
		if (activeDirectory.organizationPreparedFor() != null) {
			ExchangeBuild.parse(activeDirectory.organizationPreparedFor());
		}
		Set<String> mediaPaths = new HashSet<>();
		media.forEach(m -> {
			if (!mediaPaths.add(WindowsPath.of(m.path()).value().toUpperCase(Locale.ROOT))) {
				throw new InvalidInputException("Path " + m.path() + " appears twice among the media.");
			}
			ExchangeBuild.parse(m.build());
		});
		Set<ServerName> seen = new HashSet<>();
		Set<DatabaseName> dbNames = new HashSet<>();
		Set<DagName> dagNames = new HashSet<>();
		for (Dag dag : dags) {
			if (!dagNames.add(DagName.of(dag.name()))) {
				throw new InvalidInputException("DAG " + dag.name() + " appears twice in the topology.");
			}
			if (dag.members().isEmpty()) {
				throw new InvalidInputException("DAG " + dag.name() + " has no members: list at least one mailbox server.");
			}
			if (dag.witnessServer() != null) {
				ServerName.of(dag.witnessServer());
			}
			for (String member : dag.members()) {
				if (!seen.add(ServerName.of(member))) {
					throw new InvalidInputException("Server " + member + " appears twice in the topology.");
				}
			}
			for (Database db : dag.databases()) {
				if (!dbNames.add(DatabaseName.of(db.name()))) {
					throw new InvalidInputException("Database " + db.name() + " appears twice in the topology: database names are unique in an organisation.");
				}
				if (db.copies().isEmpty()) {
					// The lab mounts each database on its first copy: without one, a reset would stop half-way.
					throw new InvalidInputException("Database " + db.name() + " has no copies: list at least one server.");
				}
				if (db.copies().stream().map(ServerName::of).distinct().count() < db.copies().size()) {
					throw new InvalidInputException("Database " + db.name() + " names a server twice among its copies.");
				}
				for (String server : db.copies()) {
					if (dag.members().stream().noneMatch(m -> ServerName.of(m).equals(ServerName.of(server)))) {
						throw new InvalidInputException("Database " + db.name() + " has a copy on " + server
								+ ", which is not a member of " + dag.name() + ".");
					}
				}
			}
		}
		for (ClientAccess cas : clientAccess) {
			if (!seen.add(ServerName.of(cas.name()))) {
				throw new InvalidInputException("Server " + cas.name() + " appears twice in the topology.");
			}
			if (cas.nlbCluster() != null) {
				requireName(cas.nlbCluster(), "NLB cluster");
			}
		}
		for (ServerCondition condition : conditions) {
			if (!seen.contains(ServerName.of(condition.server()))) {
				throw new InvalidInputException("A condition names " + condition.server() + ", which the topology does not have.");
			}
			if (condition.build() != null) {
				ExchangeBuild.parse(condition.build());
			}
			for (int port : condition.blockedPorts()) {
				if (port < 1 || port > 65535) {
					throw new InvalidInputException("A condition of " + condition.server() + " blocks port " + port
							+ ", which is not a TCP port.");
				}
			}
		}
		exchange2003.validated(seen);
		return this;
	}

	private static void requireName(String name, String what) {
		if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9 _-]{0,63}")) {
			throw new InvalidInputException("The " + what + " name '" + (name == null ? "" : RawInput.printable(name))
					+ "' is not accepted: use letters, digits, spaces, hyphens and underscores.");
		}
	}
}
