package io.ddp.testing;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension giving tests the JVM's one shared local {@link SparkSession} (see {@link SharedSpark}),
 * as a test or constructor parameter.
 *
 * <pre>{@code
 * @ExtendWith(SparkSessionExtension.class)
 * class MyPipeTest {
 *   @Test
 *   void upperCases(SparkSession spark) {
 *     Dataset<Row> out = PipeTester.of(spark).run(new Upper(), new Upper.Params("name"), Map.of("People", people));
 *     DataFrameAssertions.assertSameRows(out, expected);
 *   }
 * }
 * }</pre>
 */
public final class SparkSessionExtension implements ParameterResolver {
  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return SharedSpark.session();
  }
}
