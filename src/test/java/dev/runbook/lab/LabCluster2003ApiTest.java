package dev.runbook.lab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayInputStream;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import dev.runbook.command.ClusterObjectName;
import dev.runbook.command.ExchangeCommand.MoveClusterGroup;
import dev.runbook.command.ExchangeCommand.TakeClusterResourceOffline;
import dev.runbook.command.ServerName;

/** {@code /api/lab/clusters}: the clusters' shape, and the manual virtual-server upgrade with its refusals. */
class LabCluster2003ApiTest {

	final LabClock.Manual clock = new LabClock.Manual();
	final LabOrganisation lab = new LabOrganisation(Topology.bundledDefault(), clock);
	final MockMvc http = MockMvcBuilders.standaloneSetup(new LabClusterController(lab)).build();

	@Test
	void theClustersHaveTheDocumentedShape() throws Exception {
		http.perform(get("/api/lab/clusters")).andExpect(status().isOk())
				.andExpect(jsonPath("$[0].name").value("EXCLUSTER"))
				.andExpect(jsonPath("$[0].nodes[0].name").value("NODE1"))
				.andExpect(jsonPath("$[0].nodes[0].build").value("6.5.6944"))
				.andExpect(jsonPath("$[0].nodes[0].state").value("Up"))
				.andExpect(jsonPath("$[0].nodes[0].hotfixes").isEmpty())
				.andExpect(jsonPath("$[0].groups[0].name").value("EVS1"))
				.andExpect(jsonPath("$[0].groups[0].owner").value("NODE1"))
				.andExpect(jsonPath("$[0].groups[0].resources[3].name").value("Exchange System Attendant - (EVS1)"))
				.andExpect(jsonPath("$[0].groups[0].resources[3].state").value("Online"))
				.andExpect(jsonPath("$[0].frontEnds[0].name").value("FE01"))
				.andExpect(jsonPath("$[0].frontEnds[0].build").value("6.5.6944"));
	}

	@Test
	void theVirtualServerUpgradeIsRefusedAsTheClusterStandsAndForUnknownNames() throws Exception {
		http.perform(post("/api/lab/clusters/EXCLUSTER/virtual-servers/EVS1/upgrade").contentType(MediaType.APPLICATION_JSON)
				.content("{\"node\":\"NODE1\"}")).andExpect(status().isConflict())
				.andExpect(jsonPath("$.message", containsString("must be offline")));
		http.perform(post("/api/lab/clusters/NOCLUSTER/virtual-servers/EVS1/upgrade").contentType(MediaType.APPLICATION_JSON)
				.content("{\"node\":\"NODE1\"}")).andExpect(status().isBadRequest())
				.andExpect(jsonPath("$.message", containsString("no Exchange 2003 cluster NOCLUSTER")));
		http.perform(post("/api/lab/clusters/EXCLUSTER/virtual-servers/EVS1/upgrade").contentType(MediaType.APPLICATION_JSON)
				.content("{\"node\":\"NODE1;calc\"}")).andExpect(status().isBadRequest());
		http.perform(post("/api/lab/clusters/EXCLUSTER/virtual-servers/EVS1/upgrade").contentType(MediaType.APPLICATION_JSON)
				.content("{}")).andExpect(status().isBadRequest()).andExpect(jsonPath("$.message", containsString("Name the node")));
	}

	@Test
	void anAcceptedUpgradeIsJournaled() throws Exception {
		lab.reset(Topology.read(new ByteArrayInputStream("""
				{"build":"15.0.1473.3","exchange2003":{"clusters":[{"name":"EXCLUSTER","build":"6.5.6944","nodes":["NODE1","NODE2"],
				 "virtualServers":[{"name":"EVS1","owner":"NODE1"}]}],
				 "conditions":[{"server":"NODE2","build":"6.5.7226","hotfixes":["KB831464"]}]}}""".getBytes())));
		lab.execute(new TakeClusterResourceOffline(ServerName.of("NODE1"), ClusterObjectName.of("Exchange System Attendant - (EVS1)")));
		lab.execute(new MoveClusterGroup(ServerName.of("NODE1"), ClusterObjectName.of("EVS1"), ServerName.of("NODE2")));

		http.perform(post("/api/lab/clusters/EXCLUSTER/virtual-servers/evs1/upgrade").contentType(MediaType.APPLICATION_JSON)
				.content("{\"node\":\"node2\"}")).andExpect(status().isOk())
				.andExpect(jsonPath("$.message", containsString("Upgrading EVS1 to 6.5.7226")));

		assertThat(lab.journal()).last()
				.extracting(JournalEntry::server, JournalEntry::succeeded).containsExactly("NODE2", true);
	}
}
