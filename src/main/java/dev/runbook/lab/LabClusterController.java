package dev.runbook.lab;

import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.runbook.command.CommandFailedException;
import dev.runbook.command.Done;
import dev.runbook.command.Exchange2003ClusterInfo;
import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;

/**
 * The lab's Exchange 2003 clusters over HTTP: their state, and the one step of the procedure that has no command,
 * "Upgrade Exchange Virtual Server", which a rehearsing operator performs here instead of in Cluster Administrator.
 */
@RestController
@RequestMapping(path = "/api/lab/clusters", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnProperty(name = "runbook.executor", havingValue = "lab", matchIfMissing = true)
public class LabClusterController {

	private final LabOrganisation lab;

	public LabClusterController(LabOrganisation lab) {
		this.lab = lab;
	}

	@GetMapping
	public List<LabClusterView> clusters() {
		return lab.clusters();
	}

	/** Body {@code {"node": "NODE2"}}: the node whose Cluster Administrator runs the upgrade. */
	@PostMapping(path = "/{cluster}/virtual-servers/{virtualServer}/upgrade", consumes = MediaType.APPLICATION_JSON_VALUE)
	public Done upgradeVirtualServer(@PathVariable String cluster, @PathVariable String virtualServer,
			@RequestBody UpgradeOrder order) {
		ServerName evs = ServerName.of(virtualServer);
		Exchange2003ClusterInfo info = lab.describeCluster(ServerName.of(cluster))
				.orElseThrow(() -> new InvalidInputException("The lab has no Exchange 2003 cluster " + cluster + "."));
		if (info.virtualServers().stream().noneMatch(v -> v.name().equals(evs))) {
			throw new InvalidInputException(evs + " is not an Exchange virtual server of cluster " + info.name() + ".");
		}
		if (order == null || order.node() == null) {
			throw new InvalidInputException("Name the node whose Cluster Administrator runs the upgrade: {\"node\": \"NODE2\"}.");
		}
		return lab.upgradeExchangeVirtualServer(ServerName.of(order.node()), evs);
	}

	public record UpgradeOrder(String node) {
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> refused(IllegalArgumentException e) {
		return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(Map.of("message", e.getMessage()));
	}

	/** The cluster refused the upgrade as it stands (wrong node, resources online, another upgrade running). */
	@ExceptionHandler(CommandFailedException.class)
	ResponseEntity<Map<String, String>> conflict(CommandFailedException e) {
		return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("message", e.getMessage()));
	}
}
