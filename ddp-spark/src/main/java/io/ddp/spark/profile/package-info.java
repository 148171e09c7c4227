/** Where a run's task time goes, pipe by pipe: a Spark plugin that samples executor task threads ({@code ddp run --profile}). */
package io.ddp.spark.profile;
