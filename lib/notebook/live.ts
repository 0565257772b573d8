/**
 * `liveTraining()`: a progress line and training curves that redraw in place while `fit` runs.
 *
 *   const live = show.liveTraining();
 *   const history = await lab.fit(model, train, { ..., onStep: live.onStep, onEpoch: live.onEpoch });
 *   await live.finish(history);
 *
 * Two outputs are created at the first callback (so they belong to the cell that trains) and
 * then replaced with `update_display_data`. The progress line (a few hundred bytes) is redrawn at
 * most `maxUpdatesPerSecond` times a second (default 10), the figure at most
 * `maxFigureUpdatesPerSecond` (default 0.5): rebuilding it reads the whole loss history and sends
 * about 120 kB at 50 000 steps (≈ 8 ms each), so 10 a second cost the training time and the
 * kernel's memory (README, "long runs"). The last step, the last epoch and `finish` always redraw
 * both. Each update returns a Promise that `fit` awaits, which lets Jupyter's messages out.
 */
import { trainingCurves, type TrainingCurvesInput } from "../plots/training";
import { newDisplayId, sendDisplay } from "./jupyter";
import { sendFigure } from "./plot";

/** What `fit` tells its callbacks (the fields used here). */
export interface LiveProgress {
  /** Steps taken so far (from 1). */
  step: number;
  /** Current epoch, from 0. */
  epoch: number;
  totalSteps: number;
  /** The latest mini-batch loss. */
  loss: number;
  history: TrainingCurvesInput;
}

/** Options of `liveTraining`. */
export interface LiveTrainingOptions {
  /** Figure title (default "Training curves"). */
  title?: string;
  /** Loss on a log axis (default true). */
  logLoss?: boolean;
  /** Name of the loss on its axis (default "cross-entropy loss"). */
  lossName?: string;
  /** Epochs in all, for the progress line (optional: fit does not say). */
  totalEpochs?: number;
  /** At most this many redraws of the progress line per second (default 10). */
  maxUpdatesPerSecond?: number;
  /** At most this many redraws of the figure per second (default 0.5: one every 2 s). */
  maxFigureUpdatesPerSecond?: number;
  /** Milliseconds now (default performance.now; tests pass a fake clock). */
  clock?: () => number;
}

/** The callbacks to hand to `fit`, and `finish` for the final redraw. */
export interface LiveTraining {
  onStep(progress: LiveProgress): void | Promise<void>;
  onEpoch(progress: LiveProgress): void | Promise<void>;
  /** Redraws with the final history (or the last progress seen); always sends. */
  finish(history?: TrainingCurvesInput): Promise<void>;
}

/** Creates a live display; see the file comment for the usage. */
export function liveTraining(options: LiveTrainingOptions = {}): LiveTraining {
  const { maxUpdatesPerSecond = 10, maxFigureUpdatesPerSecond = 0.5, clock = () => performance.now() } = options;
  const progressId = newDisplayId();
  const figureId = newDisplayId();
  let latest: LiveProgress | undefined;
  let started = 0;
  let lastSent = -Infinity;
  let lastFigure = -Infinity;
  let created = false;

  const send = async (force: boolean): Promise<void> => {
    if (!latest) return;
    const now = clock();
    lastSent = now;
    await sendDisplay(progressBundle(latest, (now - started) / 1000, force, options.totalEpochs), {
      displayId: progressId,
      update: created,
    });
    if (created && !force && now - lastFigure < 1000 / maxFigureUpdatesPerSecond) return; // the line alone
    lastFigure = now;
    const figure = trainingCurves(latest.history, {
      title: options.title,
      logLoss: options.logLoss,
      lossName: options.lossName,
    });
    await sendFigure(figure, {}, figureId, created);
    created = true;
  };
  const onProgress = (progress: LiveProgress): void | Promise<void> => {
    if (!latest) started = clock();
    latest = progress;
    const last = progress.step >= progress.totalSteps;
    if (last || clock() - lastSent >= 1000 / maxUpdatesPerSecond) return send(last);
  };
  return {
    onStep: onProgress,
    onEpoch: onProgress,
    finish: (history) => {
      if (latest && history) latest = { ...latest, history };
      return send(true);
    },
  };
}

/** "step 120 / 600 (20%) · epoch 3 · loss 0.4321 · 1.2 s elapsed · about 4.8 s left". */
export function progressLine(progress: LiveProgress, elapsedSeconds: number, totalEpochs?: number): string {
  const { step, totalSteps, epoch, loss } = progress;
  const percent = Math.round((100 * step) / totalSteps);
  const epochs = totalEpochs === undefined ? `epoch ${epoch + 1}` : `epoch ${epoch + 1} / ${totalEpochs}`;
  const secondsPerStep = elapsedSeconds / Math.max(1, step - 1); // timing starts after the first step
  const estimate =
    step < 3 ? "estimating the time left" : `about ${formatSeconds(secondsPerStep * (totalSteps - step))} left`;
  const left = step >= totalSteps ? "done" : estimate;
  return (
    `step ${step} / ${totalSteps} (${percent}%) · ${epochs} · loss ` +
    `${loss.toPrecision(4)} · ${formatSeconds(elapsedSeconds)} elapsed · ${left}`
  );
}

function progressBundle(
  progress: LiveProgress,
  elapsedSeconds: number,
  final: boolean,
  totalEpochs?: number,
): Record<string, string> {
  const line = progressLine(progress, elapsedSeconds, totalEpochs);
  const bar =
    `<progress value="${progress.step}" max="${progress.totalSteps}" ` +
    `style="width:12em;vertical-align:middle"></progress>`;
  return {
    "text/html": `<div class="bnlab-progress" style="font-family:monospace">${bar} ${line}${final ? "" : " …"}</div>`,
    "text/plain": line,
  };
}

function formatSeconds(seconds: number): string {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}
