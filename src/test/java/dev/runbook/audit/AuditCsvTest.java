package dev.runbook.audit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** CSV cells as RFC 4180 wants them, and never a formula. */
class AuditCsvTest {

	@Test
	void cellsThatASpreadsheetWouldEvaluateStayText() {
		assertThat(AuditCsv.cell("=1+1")).isEqualTo("'=1+1");
		assertThat(AuditCsv.cell("+SUM(A1)")).isEqualTo("'+SUM(A1)");
		assertThat(AuditCsv.cell("-2+3")).isEqualTo("'-2+3");
		assertThat(AuditCsv.cell("@SUM(A1)")).isEqualTo("'@SUM(A1)");
		assertThat(AuditCsv.cell("\t=1")).isEqualTo("'\t=1");
		assertThat(AuditCsv.cell("EX01 = ok")).isEqualTo("EX01 = ok");
	}

	@Test
	void separatorsQuotesAndLineBreaksAreQuoted() {
		assertThat(AuditCsv.cell("a,b")).isEqualTo("\"a,b\"");
		assertThat(AuditCsv.cell("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
		assertThat(AuditCsv.cell("line\nbreak")).isEqualTo("\"line\nbreak\"");
		assertThat(AuditCsv.cell("Get-Queue -Server 'EX01'")).isEqualTo("Get-Queue -Server 'EX01'");
	}
}
