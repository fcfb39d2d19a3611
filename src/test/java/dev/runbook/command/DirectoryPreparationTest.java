package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.runbook.command.DirectoryPreparation.Domain;

class DirectoryPreparationTest {

	private static final ExchangeBuild CU22 = ExchangeBuild.parse("15.0.1473.3");
	private static final ExchangeBuild CU23 = ExchangeBuild.parse("15.0.1497.2");
	private static final DomainName ROOT = DomainName.of("contoso.local");
	private static final DomainName EMEA = DomainName.of("emea.contoso.local");

	@Test
	void aLevelPreparedForALaterOrTheSameBuildIsReady() {
		DirectoryPreparation prep = new DirectoryPreparation(CU23, CU22, List.of(new Domain(ROOT, CU22)));

		assertThat(prep.schemaReadyFor(CU23)).isTrue();
		assertThat(prep.schemaReadyFor(CU22)).isTrue();
		assertThat(prep.organizationReadyFor(CU23)).isFalse();
		assertThat(prep.organizationReadyFor(CU22)).isTrue();
		assertThat(prep.readyFor(CU22)).isTrue();
		assertThat(prep.readyFor(CU23)).isFalse();
	}

	@Test
	void namesTheDomainsStillToPrepare() {
		DirectoryPreparation prep = new DirectoryPreparation(CU23, CU23, List.of(new Domain(ROOT, CU23), new Domain(EMEA, CU22),
				new Domain(DomainName.of("apac.contoso.local"), null)));

		assertThat(prep.domainsNotReadyFor(CU23)).containsExactly(DomainName.of("apac.contoso.local"), EMEA);
		assertThat(prep.readyFor(CU23)).isFalse();
	}

	@Test
	void anUnpreparedForestIsReadyForNothing() {
		DirectoryPreparation prep = new DirectoryPreparation(null, null, List.of(new Domain(ROOT, null)));

		assertThat(prep.schemaReadyFor(CU22)).isFalse();
		assertThat(prep.organizationReadyFor(CU22)).isFalse();
		assertThat(prep.readyFor(CU22)).isFalse();
	}
}
