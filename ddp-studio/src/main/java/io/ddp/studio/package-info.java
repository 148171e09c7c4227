/**
 * DDP Studio ({@code ddp studio}): a local web app for one pipeline file. {@link io.ddp.studio.StudioServer}
 * serves the page and JSON routes on 127.0.0.1 behind a token; {@link io.ddp.studio.Studio} holds the
 * opened file and answers the routes: checks as {@code ddp validate}, schema contracts, saving with
 * minimal changes ({@link io.ddp.studio.PipelineText}), template code ({@link io.ddp.studio.PipeTemplate}),
 * runs followed through their events file ({@link io.ddp.studio.StudioRuns}) and previews.
 */
package io.ddp.studio;
