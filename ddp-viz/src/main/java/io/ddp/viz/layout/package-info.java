/** Layered drawings of directed graphs (the data DAG), computed in Java for the studio. */
package io.ddp.viz.layout;
