package io.ddp.core.validate;

import java.util.ArrayList;
import java.util.List;

/** Collects problems so that a whole declaration is checked before anything is reported. */
public final class Problems {
  private final List<Problem> list = new ArrayList<>();

  public void add(Problem problem) {
    list.add(problem);
  }

  public void error(String pointer, String subject, String message) {
    add(Problem.error(pointer, subject, message));
  }

  public void warning(String pointer, String subject, String message) {
    add(Problem.warning(pointer, subject, message));
  }

  /** How many errors (not warnings) were reported so far. */
  public int errorCount() {
    return (int) list.stream().filter(Problem::isError).count();
  }

  public List<Problem> asList() {
    return List.copyOf(list);
  }
}
