package io.ddp.io.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.ddp.core.model.DataDeclare;
import io.ddp.core.model.EncryptionDeclare;
import io.ddp.core.model.EncryptionMode;
import io.ddp.testing.SparkSessionExtension;
import io.ddp.testing.servers.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(SparkSessionExtension.class)
class RecordEncryptionTest {
  @TempDir
  Path dir;

  @Test
  void timestampsRoundTripExactlyAcrossADaylightSavingChange(SparkSession spark) throws Exception {
    String zone = spark.conf().get("spark.sql.session.timeZone");
    spark.conf().set("spark.sql.session.timeZone", "America/New_York");
    try {
      KeyServices.Config service = localKeys("dst", 21);
      DataDeclare data = events("dst");
      // 01:30 comes twice in New York on 2026-11-01: in EDT (05:30Z) and an hour later in EST (06:30Z);
      // also the hour that spring skips (2026-03-08 02:30 does not exist) and a time before 1970.
      Dataset<Row> rows = spark.sql("SELECT 'tenant-a' AS tenant, timestamp_micros(m) AS seen FROM VALUES"
          + " (1793511000000000L), (1793514600000000L), (1772955000000000L), (-1000000L) AS t(m)");

      Dataset<Row> sealed = RecordEncryption.encrypt(rows, data, service);
      assertThat(sealed.collectAsList()).allSatisfy(r -> assertThat(r.getString(1)).startsWith(RecordCipher.PREFIX));
      Dataset<Row> back = RecordEncryption.decrypt(sealed, data, io.ddp.io.Schemas.parse(data.schema()), service);

      assertThat(micros(back)).containsExactly(-1000000L, 1772955000000000L, 1793511000000000L, 1793514600000000L);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
      RecordCipher.reset();
    }
  }

  @Test
  void timestampsEncryptedAsLocalTextBeforeAreStillRead(SparkSession spark) throws Exception {
    KeyServices.Config service = localKeys("old", 22);
    DataDeclare data = events("old");
    String old = RecordCipher.encrypt(service, "seen", "tenant-a", "2026-06-01 12:00:00");
    Dataset<Row> stored = spark.sql("SELECT 'tenant-a' AS tenant, '" + old + "' AS seen");
    Dataset<Row> back = RecordEncryption.decrypt(stored, data, io.ddp.io.Schemas.parse(data.schema()), service);
    assertThat(back.selectExpr("CAST(seen AS STRING)").first().getString(0)).isEqualTo("2026-06-01 12:00:00");
    RecordCipher.reset();
  }

  /** A local key service with key id tenant-a, in a keystore in the test's directory. */
  private KeyServices.Config localKeys(String name, int seed) throws Exception {
    Path keystore = TestKeys.writeKeystore(dir.resolve(name + ".p12"), "pw-7f3a9c", Map.of("tenant-a", TestKeys.base64Key(seed)));
    Path password = Files.writeString(dir.resolve(name + ".pw"), "pw-7f3a9c\n");
    return new KeyServices.Config(name, Map.of("type", "local", "keystore", keystore.toString(), "keystorePasswordFile", password.toString()));
  }

  /** Events whose timestamp column is encrypted per record, the key id in column tenant. */
  private static DataDeclare events(String keyService) {
    return DataDeclare.builder("Events").schema("tenant STRING, seen TIMESTAMP")
        .encryption(new EncryptionDeclare(EncryptionMode.RECORD, null, null, keyService, null, null, false, List.of("seen"), "tenant"))
        .build();
  }

  private static List<Long> micros(Dataset<Row> rows) {
    return rows.selectExpr("unix_micros(seen)").collectAsList().stream().map(r -> r.getLong(0)).sorted().collect(Collectors.toList());
  }
}
