package io.ddp.spark.exec;

import com.google.inject.AbstractModule;
import com.google.inject.ConfigurationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import io.ddp.core.exceptions.DdpException;
import io.ddp.core.pipe.PipeParams;
import io.ddp.core.pipe.PipeTypes;
import io.ddp.core.text.Messages;
import io.ddp.spark.SparkPipe;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import org.apache.spark.sql.SparkSession;

/**
 * Makes pipe instances through Guice, so a pipe's constructor can {@code @Inject} shared services.
 * Modules come from {@link ServiceLoader} ({@code META-INF/services/com.google.inject.Module}) plus any
 * given in code; the {@link SparkSession} is always bound.
 */
public final class PipeFactory {
  private final PipeTypes types;
  private final Injector injector;

  public PipeFactory(PipeTypes types, SparkSession spark, List<Module> extraModules, ClassLoader loader) {
    this.types = types;
    List<Module> modules = new ArrayList<>();
    modules.add(new AbstractModule() {
      @Override
      protected void configure() {
        bind(SparkSession.class).toInstance(spark);
      }
    });
    ServiceLoader.load(Module.class, loader).forEach(modules::add);
    modules.addAll(extraModules);
    this.injector = Guice.createInjector(modules);
  }

  /** Where pipe types resolve. */
  public PipeTypes types() {
    return types;
  }

  /** A pipe and its bound params, ready to apply. */
  public record Instance(SparkPipe<Object> pipe, Object params) {}

  /** Resolves, instantiates and binds params for a pipe; errors name the pipe. */
  @SuppressWarnings("unchecked")
  public Instance create(String label, String transformerType, com.fasterxml.jackson.databind.JsonNode params) {
    Class<?> cls;
    try {
      cls = types.resolve(transformerType);
    } catch (DdpException e) {
      throw new DdpException("Cannot create pipe " + label + ": " + e.getMessage(), e);
    }
    Object bound;
    try {
      bound = PipeParams.bind(params, PipeParams.paramsType(cls));
    } catch (PipeParams.BindingException e) {
      throw new DdpException("Cannot create pipe " + label + ": " + e.getMessage()
          + (e.field().isEmpty() ? "" : " (at params" + e.field() + ")"), e);
    }
    Object instance;
    try {
      instance = injector.getInstance(cls);
    } catch (ConfigurationException | ProvisionException e) {
      throw new DdpException("Cannot create pipe " + label + " (" + cls.getName() + "): "
          + Messages.rootCause(e) + "; a pipe needs a public no-argument constructor or an @Inject constructor"
          + " whose arguments Guice can provide (bind them in a Module listed in META-INF/services/com.google.inject.Module)", e);
    }
    return new Instance((SparkPipe<Object>) instance, bound);
  }
}
