/**
 * The data DAG of a declaration ({@link io.ddp.core.graph.DataGraph}): who produces and who reads each
 * dataset, the edges between pipes, and the cycles. Pipes are numbered from 1. Validation and planning
 * both build on it.
 */
package io.ddp.core.graph;
