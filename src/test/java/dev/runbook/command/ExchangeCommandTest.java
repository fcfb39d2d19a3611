package dev.runbook.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class ExchangeCommandTest {

	private static final Map<Class<?>, Object> SAMPLES = Map.ofEntries(Map.entry(ServerName.class, ServerName.of("EX01")),
			Map.entry(Component.class, Component.HubTransport), Map.entry(ComponentState.class, ComponentState.Draining),
			Map.entry(Requester.class, Requester.Maintenance), Map.entry(WindowsService.class, WindowsService.MSExchangeTransport),
			Map.entry(AutoActivationPolicy.class, AutoActivationPolicy.Blocked),
			Map.entry(WindowsPath.class, WindowsPath.of("D:\\Media\\Setup.exe")), Map.entry(SetupMode.class, SetupMode.Upgrade),
			Map.entry(LicenseSwitch.class, LicenseSwitch.Classic), Map.entry(boolean.class, true),
			Map.entry(int.class, 20), Map.entry(DagName.class, DagName.of("DAG01")),
			Map.entry(DatabaseName.class, DatabaseName.of("DB01")), Map.entry(HealthCheckPage.class, HealthCheckPage.Owa),
			Map.entry(DomainName.class, DomainName.of("contoso.local")),
			Map.entry(java.util.List.class, java.util.List.of(DomainName.of("contoso.local"))));

	static Stream<Class<?>> commands() {
		return Stream.of(ExchangeCommand.class.getPermittedSubclasses())
				.flatMap(kind -> Stream.of(kind.getPermittedSubclasses()));
	}

	/**
	 * A missing value must be refused where the command is made: rendered, a null parameter would turn into a bare
	 * switch ({@code Restart-Service -Name}) and a null server would reach the journal.
	 */
	@ParameterizedTest
	@MethodSource("commands")
	void everyCommandRefusesAMissingValue(Class<?> type) throws Exception {
		RecordComponent[] components = type.getRecordComponents();
		Constructor<?> constructor = type.getDeclaredConstructor(
				Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
		Object[] valid = Arrays.stream(components).map(c -> sample(c.getType())).toArray();
		assertThat(constructor.newInstance(valid)).isInstanceOf(ExchangeCommand.class);

		for (int i = 0; i < components.length; i++) {
			if (components[i].getType().isPrimitive()) {
				continue;
			}
			Object[] args = valid.clone();
			args[i] = null;
			assertThatThrownBy(() -> construct(constructor, args)).as("%s without %s", type.getSimpleName(), components[i].getName())
					.isInstanceOf(NullPointerException.class).hasMessageContaining(components[i].getName());
		}
	}

	@Test
	void aCommandLineRefusesANullValue() {
		assertThatThrownBy(() -> CommandLine.of("Restart-Service").param("Name", null))
				.isInstanceOf(NullPointerException.class).hasMessageContaining("Name");
	}

	private static Object sample(Class<?> type) {
		Object sample = SAMPLES.get(type);
		if (sample == null) {
			throw new IllegalStateException("No sample value for " + type + ": add one to SAMPLES");
		}
		return sample;
	}

	private static Object construct(Constructor<?> constructor, Object[] args) throws Throwable {
		try {
			return constructor.newInstance(args);
		} catch (InvocationTargetException e) {
			throw e.getCause();
		}
	}
}
