/**
 * The data DAG as a picture: DOT from the plan (with a run's live status), rendered to SVG or PNG
 * by GraphViz.
 */
package io.ddp.viz;
