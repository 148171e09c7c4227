package io.ddp.core.pipe;

/** The params type of a pipe that takes none: any declared param is then an error. */
public record NoParams() {}
