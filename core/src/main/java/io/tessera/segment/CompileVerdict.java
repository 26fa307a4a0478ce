package io.tessera.segment;

/**
 * The result of compiling a condition: a runnable segment, or the reason it is not one, with
 * the position (1-based line and column, and 0-based character offset) the error points at.
 */
public sealed interface CompileVerdict {

    record Compiled(CompiledSegment segment) implements CompileVerdict {}

    record Invalid(String code, String message, int line, int column) implements CompileVerdict {}
}
