package io.ddp.core.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void masksPasswordsInUrlsParamsAndSecretNamedSettings() {
    assertThat(Secrets.mask("jdbc:postgresql://db:5432/shop?user=etl&password=hunter2&ssl=true"))
        .isEqualTo("jdbc:postgresql://db:5432/shop?user=etl&password=***&ssl=true");
    assertThat(Secrets.mask("jdbc:h2:/tmp/db;USER=ddp;PASSWORD=pw-1;MODE=PostgreSQL")).isEqualTo("jdbc:h2:/tmp/db;USER=ddp;PASSWORD=***;MODE=PostgreSQL");
    assertThat(Secrets.mask("jdbc:mysql://etl:hunter2@db/shop")).isEqualTo("jdbc:mysql://etl:***@db/shop");
    assertThat(Secrets.mask("spark.hadoop.fs.s3a.secret.key=abc123 and api_key=k")).isEqualTo("spark.hadoop.fs.s3a.secret.key=*** and api_key=***");
    assertThat(Secrets.mask("s3a://bucket/reports/password-policy/part-0.parquet")).isEqualTo("s3a://bucket/reports/password-policy/part-0.parquet");
    assertThat(Secrets.mask(null)).isNull();

    assertThat(Secrets.assignment("spark.hadoop.fs.s3a.secret.key", "abc")).isEqualTo("spark.hadoop.fs.s3a.secret.key=***");
    assertThat(Secrets.assignment("spark.hadoop.fs.s3a.access.key", "AKIA")).isEqualTo("spark.hadoop.fs.s3a.access.key=***");
    assertThat(Secrets.assignment("db_password", "x")).isEqualTo("db_password=***");
    assertThat(Secrets.assignment("out", "/data/out")).isEqualTo("out=/data/out");
    assertThat(Secrets.assignment("url", "jdbc:h2:/x;PASSWORD=p")).isEqualTo("url=jdbc:h2:/x;PASSWORD=***");
  }

  @Test
  void masksTheValuesOfSecretNamedSettingsWhereverAMessageQuotesThem() {
    java.util.Map<String, String> options = java.util.Map.of("password", "Tr0ub4dor", "s3.secretKey", "wJalrXUt", "user", "etl",
        "table", "orders");
    assertThat(Secrets.mask("login failed for etl with Tr0ub4dor on orders; key wJalrXUt", options))
        .isEqualTo("login failed for etl with *** on orders; key ***");
    assertThat(Secrets.mask("jdbc:postgresql://db/shop?password=Tr0ub4dor", options)).isEqualTo("jdbc:postgresql://db/shop?password=***");
    assertThat(Secrets.mask(null, options)).isEmpty();
  }
}
