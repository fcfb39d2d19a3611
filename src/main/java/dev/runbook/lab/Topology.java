package dev.runbook.lab;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

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
		List<ClientAccess> clientAccess, List<ServerCondition> conditions) {

	public static final String BUNDLED = "lab/default-topology.json";

	public Topology {
		media = media == null ? List.of() : List.copyOf(media);
		dags = dags == null ? List.of() : List.copyOf(dags);
		clientAccess = clientAccess == null ? List.of() : List.copyOf(clientAccess);
		conditions = conditions == null ? List.of() : List.copyOf(conditions);
		domain = domain == null ? "contoso.local" : domain;
		organisation = organisation == null ? "Contoso" : organisation;
	}

	/** Installation media reachable from the servers: the path of Setup.exe and the build it installs. */
	public record Media(String path, String build) {
	}

	public record Dag(String name, String witnessServer, List<String> members, List<Database> databases) {
		public Dag {
			members = members == null ? List.of() : List.copyOf(members);
			databases = databases == null ? List.of() : List.copyOf(databases);
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

	/** A starting condition that differs from a healthy server at the organisation's build. */
	public record ServerCondition(String server, String build, Boolean pendingReboot) {
	}

	private static final ObjectMapper JSON = new ObjectMapper()
			.configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

	public static Topology read(InputStream in) throws IOException {
		return JSON.readValue(in, Topology.class).validated();
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
		requireDomain(domain);
		Set<String> mediaPaths = new HashSet<>();
		media.forEach(m -> {
			if (!mediaPaths.add(WindowsPath.of(m.path()).value().toUpperCase(Locale.ROOT))) {
				throw new InvalidInputException("Path " + m.path() + " appears twice among the media.");
			}
			ExchangeBuild.parse(m.build());
		});
		Set<ServerName> seen = new HashSet<>();
		// Database and DAG names are unique in the organisation, not only within a DAG.
		Set<String> dagNames = new HashSet<>();
		Set<String> dbNames = new HashSet<>();
		for (Dag dag : dags) {
			requireName(dag.name(), "DAG");
			if (!dagNames.add(dag.name().toUpperCase(Locale.ROOT))) {
				throw new InvalidInputException("DAG " + dag.name() + " appears twice in the topology.");
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
				requireName(db.name(), "database");
				if (!dbNames.add(db.name().toUpperCase(Locale.ROOT))) {
					throw new InvalidInputException("Database " + db.name() + " appears twice in the topology.");
				}
				if (db.copies().isEmpty()) {
					throw new InvalidInputException("Database " + db.name() + " has no copies: name at least the server it is mounted on.");
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
		}
		return this;
	}

	/** The servers' FQDNs are built from it, and an FQDN may reach a command line. */
	private static void requireDomain(String domain) {
		try {
			ServerName.of("HOST." + domain);
		} catch (InvalidInputException e) {
			throw new InvalidInputException("The domain '" + RawInput.printable(domain)
					+ "' is not a valid DNS name: use dot-separated labels of letters, digits and hyphens.");
		}
	}

	private static void requireName(String name, String what) {
		if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9 _-]{0,63}")) {
			throw new InvalidInputException("The " + what + " name '" + (name == null ? "" : RawInput.printable(name)) + "' is not accepted: use letters, digits, spaces, hyphens and underscores.");
		}
	}
}
