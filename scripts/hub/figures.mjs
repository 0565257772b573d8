// The load test's figures (build/hub-load.json): per notebook the kernel's CPU time, peak memory and wall
// time; per process role (kernel, student server, hub, proxy) the peak memory; and the class size that one
// machine serves, derived from them (see docs/teacher-guide.md, "Measured on a real JupyterHub").

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2 : null;
};
const spread = (values) =>
  values.length ? { median: round(median(values)), max: round(Math.max(...values)), n: values.length } : null;
const round = (x) => Math.round(x * 10) / 10;

/**
 * Students served at once with every notebook under `limitSeconds`, when all run the heaviest notebook
 * together on `cores` cores: floor(cores × limit / CPU seconds of that notebook) (CPU-bound: the kernels
 * compute, nothing else does), and by memory: floor(0.8 × memory / (server + kernel peak)).
 */
export function capacity({ cores, memoryGiB, cpuSeconds, serverMiB, kernelMiB, limitSeconds = 120 }) {
  const byCpu = Math.floor((cores * limitSeconds) / cpuSeconds);
  const byMemory = Math.floor((0.8 * memoryGiB * 1024) / (serverMiB + kernelMiB));
  return { byCpu, byMemory, students: Math.min(byCpu, byMemory) };
}

/** Summary of one load-test run (see hub.test.mjs). */
export function summarize({ results, names, victim, notebooks, load, killed, machine }) {
  const healthy = names.filter((n) => n !== victim);
  const finished = (file) =>
    healthy
      .map((n) => results[n].events.find((e) => e.event === "notebook" && e.notebook === file))
      .filter((e) => e && !e.failed);
  const perNotebook = Object.fromEntries(
    notebooks.map((file) => [
      file,
      {
        kernelCpuSeconds: spread(finished(file).map((e) => e.kernel.cpuSeconds)),
        kernelPeakRssMiB: spread(finished(file).map((e) => e.kernel.maxRssMiB)),
        wallSeconds: spread(finished(file).map((e) => e.wallMs / 1000)),
      },
    ]),
  );
  const peaks = (which) => spread([...load.peakByPid.values()].filter((p) => p.role === which).map((p) => p.rssMiB));
  const roles = { kernel: peaks("kernel"), server: peaks("server"), hub: peaks("hub"), proxy: peaks("proxy") };
  const heaviest = Math.max(...notebooks.map((f) => perNotebook[f].kernelCpuSeconds?.median ?? 0));
  const kernelMiB = Math.max(...notebooks.map((f) => perNotebook[f].kernelPeakRssMiB?.max ?? 0));
  const serverStart = spread(
    names.map((n) => results[n].events.find((e) => e.event === "server")?.ms / 1000).filter(Number.isFinite),
  );
  const kernelStart = spread(
    names.flatMap((n) => results[n].events.filter((e) => e.event === "kernel").map((e) => e.startMs / 1000)),
  );
  const total = Math.max(...load.peaks.map((p) => p.hub + p.proxy + p.server + p.kernel));
  const summary = {
    students: names.length,
    victim,
    killedKernelPid: killed?.pid ?? null,
    machine,
    wallSecondsAllStudents: round(load.wallMs / 1000),
    serverStartSeconds: serverStart,
    kernelStartSeconds: kernelStart,
    perNotebook,
    peakRssMiBByRole: roles,
    peakRssMiBWholeHub: round(total),
    mostKernelsAtOnce: Math.max(...load.peaks.map((p) => p.kernels)),
    capacityThisMachine: capacity({
      cores: machine.cores,
      memoryGiB: machine.memoryGiB,
      cpuSeconds: heaviest,
      serverMiB: roles.server?.max ?? 0,
      kernelMiB,
    }),
  };
  return { summary, samples: load.peaks };
}
