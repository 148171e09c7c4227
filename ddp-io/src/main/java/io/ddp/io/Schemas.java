package io.ddp.io;

import io.ddp.core.exceptions.DdpException;
import io.ddp.core.text.Messages;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Declared schemas: parsing Spark DDL and comparing a produced schema with a declared one. */
public final class Schemas {
  private Schemas() {}

  /** Parses Spark DDL such as {@code "id BIGINT, text STRING"}; throws with the parser's reason. */
  public static StructType parse(String ddl) {
    try {
      return StructType.fromDDL(ddl);
    } catch (Exception e) { // ParseException: Scala exceptions are checked in Java's eyes
      throw new DdpException("invalid schema \"" + ddl + "\": " + Messages.firstLine(e.getMessage())
          + "; write Spark DDL like \"id BIGINT, text STRING\"", e);
    }
  }

  /**
   * A dataset's declared schema for checks that need one: empty when it declares none or one that does
   * not parse (which the static checks report on its own, at the {@code schema} field).
   */
  public static java.util.Optional<StructType> declared(io.ddp.core.model.DataDeclare data) {
    if (data.schema() == null) {
      return java.util.Optional.empty();
    }
    try {
      return java.util.Optional.of(parse(data.schema()));
    } catch (DdpException e) {
      return java.util.Optional.empty();
    }
  }

  /**
   * Differences between what a pipe produced and what is declared, as readable sentences; empty when
   * they match. Names must match exactly; types must match ignoring nullability.
   */
  public static List<String> differences(StructType declared, StructType actual) {
    List<String> out = new ArrayList<>();
    Map<String, StructField> produced = new LinkedHashMap<>();
    for (StructField f : actual.fields()) {
      produced.put(f.name(), f);
    }
    List<String> missing = new ArrayList<>();
    for (StructField f : declared.fields()) {
      StructField p = produced.remove(f.name());
      if (p == null) {
        missing.add(f.name() + " " + f.dataType().sql() + caseHint(f.name(), actual));
      } else if (!sameType(f.dataType(), p.dataType())) {
        out.add("column " + f.name() + " is " + p.dataType().sql() + " but declared " + f.dataType().sql());
      }
    }
    if (!missing.isEmpty()) {
      out.add(0, "missing column" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing));
    }
    if (!produced.isEmpty()) {
      List<String> extra = new ArrayList<>();
      produced.values().forEach(f -> extra.add(f.name() + " " + f.dataType().sql()));
      out.add("undeclared column" + (extra.size() == 1 ? " " : "s ") + String.join(", ", extra));
    }
    return out;
  }

  /** The type with every field, element and value nullable, as Spark reads files. */
  public static DataType nullable(DataType type) {
    if (type instanceof StructType s) {
      StructType out = new StructType();
      for (StructField f : s.fields()) {
        out = out.add(new StructField(f.name(), nullable(f.dataType()), true, f.metadata()));
      }
      return out;
    }
    if (type instanceof ArrayType a) {
      return new ArrayType(nullable(a.elementType()), true);
    }
    if (type instanceof MapType m) {
      return new MapType(nullable(m.keyType()), nullable(m.valueType()), true);
    }
    return type;
  }

  /** Type equality ignoring nullability at every level. */
  public static boolean sameType(DataType a, DataType b) {
    if (a instanceof StructType && b instanceof StructType) {
      StructField[] fa = ((StructType) a).fields();
      StructField[] fb = ((StructType) b).fields();
      if (fa.length != fb.length) {
        return false;
      }
      for (int i = 0; i < fa.length; i++) {
        if (!fa[i].name().equals(fb[i].name()) || !sameType(fa[i].dataType(), fb[i].dataType())) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof ArrayType && b instanceof ArrayType) {
      return sameType(((ArrayType) a).elementType(), ((ArrayType) b).elementType());
    }
    if (a instanceof MapType && b instanceof MapType) {
      return sameType(((MapType) a).keyType(), ((MapType) b).keyType())
          && sameType(((MapType) a).valueType(), ((MapType) b).valueType());
    }
    return a.equals(b);
  }

  private static String caseHint(String name, StructType actual) {
    for (StructField f : actual.fields()) {
      if (f.name().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return " (the pipe produced '" + f.name() + "': names are case-sensitive)";
      }
    }
    return "";
  }
}
