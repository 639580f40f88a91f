package dev.arenaguard.checker.model;

import com.google.common.collect.ImmutableList;

/**
 * One method or constructor declared in a stub file, with its model and where it was declared.
 *
 * @param className the declaring class's canonical name ({@code java.lang.foreign.Arena})
 * @param name the method name, {@code <init>} for a constructor
 * @param parameterTypes erased simple names of the parameter types ({@code long}, {@code OfInt},
 *     {@code Object}, {@code byte[]})
 * @param location {@code file:line:column} of the declaration, for diagnostics
 */
public record StubMethod(
    String className,
    String name,
    ImmutableList<String> parameterTypes,
    MethodModel model,
    String location) {

  /** The key under which the model is looked up: {@code name(T1,T2)}. */
  public String signature() {
    return name + "(" + String.join(",", parameterTypes) + ")";
  }
}
