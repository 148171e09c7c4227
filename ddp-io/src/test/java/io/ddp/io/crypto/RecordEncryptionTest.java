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
      Path keystore = TestKeys.writeKeystore(dir.resolve("keys.p12"), "pw-7f3a9c", Map.of("tenant-a", TestKeys.base64Key(21)));
      Path password = Files.writeString(dir.resolve("pw"), "pw-7f3a9c\n");
      KeyServices.Config service = new KeyServices.Config("dst",
          Map.of("type", "local", "keystore", keystore.toString(), "keystorePasswordFile", password.toString()));
      DataDeclare data = DataDeclare.builder("Events").schema("tenant STRING, seen TIMESTAMP")
          .encryption(new EncryptionDeclare(EncryptionMode.RECORD, null, null, "dst", null, null, false, List.of("seen"), "tenant"))
          .build();
      // 01:30 comes twice in New York on 2026-11-01: in EDT (05:30Z) and an hour later in EST (06:30Z);
      // also the hour that spring skips (2026-03-08 02:30 does not exist) and a time before 1970.
      Dataset<Row> rows = spark.sql("SELECT 'tenant-a' AS tenant, timestamp_micros(m) AS seen FROM VALUES"
          + " (1793511000000000L), (1793514600000000L), (1772955000000000L), (-1000000L) AS t(m)");

      Dataset<Row> sealed = RecordEncryption.encrypt(rows, data, service);
      assertThat(sealed.collectAsList()).allSatisfy(r -> assertThat(r.getString(1)).startsWith(RecordCipher.PREFIX));
      Dataset<Row> back = RecordEncryption.decrypt(sealed, data, service);

      assertThat(micros(back)).containsExactly(-1000000L, 1772955000000000L, 1793511000000000L, 1793514600000000L);
    } finally {
      spark.conf().set("spark.sql.session.timeZone", zone);
      RecordCipher.reset();
    }
  }

  @Test
  void timestampsEncryptedAsLocalTextBeforeAreStillRead(SparkSession spark) throws Exception {
    Path keystore = TestKeys.writeKeystore(dir.resolve("keys.p12"), "pw-7f3a9c", Map.of("tenant-a", TestKeys.base64Key(22)));
    Path password = Files.writeString(dir.resolve("pw"), "pw-7f3a9c\n");
    KeyServices.Config service = new KeyServices.Config("old",
        Map.of("type", "local", "keystore", keystore.toString(), "keystorePasswordFile", password.toString()));
    DataDeclare data = DataDeclare.builder("Events").schema("tenant STRING, seen TIMESTAMP")
        .encryption(new EncryptionDeclare(EncryptionMode.RECORD, null, null, "old", null, null, false, List.of("seen"), "tenant"))
        .build();
    String old = RecordCipher.encrypt(service, "seen", "tenant-a", "2026-06-01 12:00:00");
    Dataset<Row> stored = spark.sql("SELECT 'tenant-a' AS tenant, '" + old + "' AS seen");
    Dataset<Row> back = RecordEncryption.decrypt(stored, data, service);
    assertThat(back.selectExpr("CAST(seen AS STRING)").first().getString(0)).isEqualTo("2026-06-01 12:00:00");
    RecordCipher.reset();
  }

  private static List<Long> micros(Dataset<Row> rows) {
    return rows.selectExpr("unix_micros(seen)").collectAsList().stream().map(r -> r.getLong(0)).sorted().collect(Collectors.toList());
  }
}
