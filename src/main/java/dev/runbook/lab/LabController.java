package dev.runbook.lab;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.runbook.command.InvalidInputException;
import dev.runbook.command.ServerName;

/**
 * The lab over HTTP: what the simulated organisation looks like, what the runbook did to it, and the faults and
 * topology a rehearsal starts from. Access is checked before a request gets here (GroupAccessFilter).
 */
@RestController
@RequestMapping(path = "/api/lab", produces = MediaType.APPLICATION_JSON_VALUE)
@ConditionalOnProperty(name = "runbook.executor", havingValue = "lab", matchIfMissing = true)
public class LabController {

	private final LabOrganisation lab;

	public LabController(LabOrganisation lab) {
		this.lab = lab;
	}

	@GetMapping("/servers")
	public List<LabServerView> servers() {
		return lab.servers();
	}

	@GetMapping("/databases")
	public List<LabDatabaseView> databases() {
		return lab.databases();
	}

	@GetMapping("/journal")
	public List<JournalEntry> journal() {
		return lab.journal();
	}

	/** Databases that were ever without a mounted copy: a rehearsal that ends with entries here failed its purpose. */
	@GetMapping("/outages")
	public List<LabOrganisation.Outage> outages() {
		return lab.outages();
	}

	@GetMapping("/topology")
	public Topology topology() {
		return lab.topology();
	}

	/**
	 * Rebuilds the lab from a topology document. Read by {@link Topology#read}, as at start, so that a document the
	 * lab would not start from is refused here too; the lab is only touched once the document is accepted.
	 */
	@PutMapping(path = "/topology", consumes = MediaType.APPLICATION_JSON_VALUE)
	public Topology resetTo(@RequestBody(required = false) byte[] document) throws IOException {
		if (document == null || document.length == 0) {
			throw new InvalidInputException("A topology document is required, as in lab/default-topology.json.");
		}
		Topology topology = Topology.read(new ByteArrayInputStream(document));
		if (topology == null) {
			throw new InvalidInputException("A topology document is required, as in lab/default-topology.json.");
		}
		lab.reset(topology);
		return lab.topology();
	}

	@GetMapping("/faults")
	public List<LabFaultView> faults() {
		List<LabFaultView> views = new ArrayList<>();
		lab.faults().forEach((server, faults) -> faults
				.forEach((fault, times) -> views.add(new LabFaultView(server.value(), fault.id(), times))));
		return views;
	}

	/** Arms a fault on a server; answers with every armed fault. */
	@PostMapping(path = "/faults", consumes = MediaType.APPLICATION_JSON_VALUE)
	@ResponseStatus(HttpStatus.CREATED)
	public List<LabFaultView> inject(@RequestBody LabFaultView order) {
		if (order.server() == null || order.fault() == null) {
			throw new InvalidInputException("A fault needs a server and a fault, e.g. {\"server\": \"EX02\", \"fault\": \"queue-stuck\", \"times\": 1}.");
		}
		lab.injectFault(ServerName.of(order.server()), LabFault.fromId(order.fault()),
				order.times() == null ? 1 : order.times());
		return faults();
	}

	@DeleteMapping("/faults")
	@ResponseStatus(HttpStatus.NO_CONTENT)
	public void clearFaults() {
		lab.clearFaults();
	}
}
