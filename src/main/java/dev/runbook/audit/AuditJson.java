package dev.runbook.audit;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.runbook.command.ExchangeBuild;
import dev.runbook.command.ServerName;
import dev.runbook.command.WindowsPath;

/**
 * The JSON form of what the audit trail stores. Its own mapper rather than Spring's: records are written from the
 * engine's job threads, where no Spring configuration is at hand, and their form must not change with it.
 */
final class AuditJson {

	private static final ObjectMapper MAPPER = JsonMapper.builder()
			.addModule(new JavaTimeModule())
			// Value types read as the text an operator knows (EX01, 15.0.1497.2), not as {"value": ...}
			.addModule(new SimpleModule("runbook-values")
					.addSerializer(ServerName.class, ToStringSerializer.instance)
					.addSerializer(ExchangeBuild.class, ToStringSerializer.instance)
					.addSerializer(WindowsPath.class, ToStringSerializer.instance))
			.disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
			// Records written by an older version stay readable
			.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.build();

	private AuditJson() {
	}

	static ObjectMapper mapper() {
		return MAPPER;
	}
}
