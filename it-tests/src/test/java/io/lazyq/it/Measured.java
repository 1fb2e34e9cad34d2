package io.lazyq.it;

import java.lang.reflect.Method;
import java.util.Arrays;

/**
 * Runs another class's {@code main} and reports this JVM's peak heap and peak RSS when the JVM
 * exits, however it exits ({@code System.exit} included): {@code Measured MAIN_CLASS ARGS...}.
 */
public final class Measured {
  private Measured() {}

  public static void main(String[] args) throws Throwable {
    Runtime.getRuntime().addShutdownHook(new Thread(Reports::printMemory));
    Method main = Class.forName(args[0]).getMethod("main", String[].class);
    try {
      main.invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
