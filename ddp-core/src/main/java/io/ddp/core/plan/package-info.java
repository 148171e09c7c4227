/**
 * Planning: the data DAG of a pipeline ({@link io.ddp.core.graph.DataGraph}), pipes in topological
 * order and stages ({@link io.ddp.core.plan.ExecutionPlan}), partial runs ({@link
 * io.ddp.core.plan.Selection}) and what a run keeps, writes and releases ({@link
 * io.ddp.core.plan.RunPlan}).
 */
package io.ddp.core.plan;
