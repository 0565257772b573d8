/** Browser twin of `node:os`'s `cpus()`: one entry per logical processor the browser reports. */
export function cpus(): { model: string }[] {
  const count = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1;
  return Array.from({ length: count }, () => ({ model: "browser" }));
}

export default { cpus };
