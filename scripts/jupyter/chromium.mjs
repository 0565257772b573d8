// Starts Debian's headless Chromium ourselves (so we own its PID) and connects playwright-core over CDP.
// Never downloads a browser.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { chromium } from "playwright-core";
import { stopGroup } from "./classic-server.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
  "--no-first-run", "--disable-sync", "--disable-quic", "--disable-default-apps", "--disable-extensions", "--mute-audio",
  "--no-default-browser-check", "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0", "--window-size=1280,900"];

/** Returns { browser, pid, stop() }: a playwright Browser over CDP and the way to end the process group. */
export async function startChromium({ timeoutMs = 60_000 } = {}) {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found: sudo apt-get install chromium (or set CHROMIUM_PATH)`);
  const profile = mkdtempSync(join(tmpdir(), "bnlab-chromium-"));
  const child = spawn(CHROMIUM, [...FLAGS, `--user-data-dir=${profile}`, "about:blank"], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  const stop = () => stopGroup(child, profile);
  try {
    const endpoint = await new Promise((resolve, reject) => {
      let stderr = "";
      const timer = setTimeout(() => reject(new Error(`Chromium gave no DevTools endpoint within ${timeoutMs / 1000} s:\n${stderr}`)), timeoutMs);
      child.stderr.on("data", (chunk) => {
        stderr += chunk;
        const match = /DevTools listening on (ws:\/\/\S+)/.exec(stderr);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      });
      child.once("exit", (code) => reject(new Error(`Chromium exited (${code}) before it was ready:\n${stderr}`)));
    });
    const browser = await chromium.connectOverCDP(endpoint);
    return { browser, pid: child.pid, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
