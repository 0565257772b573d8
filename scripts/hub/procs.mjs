// Linux /proc readers for the hub load test: a process tree, each process's memory and CPU time, and
// the TCP sockets the tree listens on. Read-only; nothing here signals a process.
import { readFileSync, readdirSync, readlinkSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ: the unit of utime/stime in /proc/<pid>/stat on Linux

function read(path) {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return null; // the process ended meanwhile
  }
}

/** Fields of /proc/<pid>/stat after the command name (which may hold spaces): [state, ppid, …]. */
function statFields(pid) {
  const stat = read(`/proc/${pid}/stat`);
  return stat === null ? null : stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** PIDs of `root` and all its descendants, found through each process's parent PID. */
export function processTree(root) {
  const children = new Map();
  for (const name of readdirSync("/proc").filter((n) => /^\d+$/.test(n))) {
    const fields = statFields(name);
    if (!fields) continue;
    const ppid = Number(fields[1]);
    children.set(ppid, [...(children.get(ppid) ?? []), Number(name)]);
  }
  const tree = [];
  for (let queue = [root]; queue.length;) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/** { pid, command, rssMiB, cpuSeconds, startTicks } of one process, or null when it is gone. */
export function processInfo(pid) {
  const fields = statFields(pid);
  const status = read(`/proc/${pid}/status`);
  const cmdline = read(`/proc/${pid}/cmdline`);
  if (!fields || status === null || cmdline === null) return null;
  const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const cpuTicks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return {
    pid,
    command: cmdline.split("\0").join(" ").trim(),
    rssMiB: rssKiB / 1024,
    cpuSeconds: cpuTicks / TICKS_PER_SECOND,
    startTicks: Number(fields[19]),
  };
}

/** What a process of the hub's tree is: "hub", "proxy", "server" (a student's Jupyter) or "kernel". */
export function role(command) {
  if (/configurable-http-proxy/.test(command)) return "proxy";
  if (/jupyterhub-singleuser/.test(command)) return "server";
  if (/tslab kernel|kernel-[0-9a-f-]+\.json/.test(command)) return "kernel";
  if (/jupyterhub/.test(command)) return "hub";
  return "other";
}

/** "0100007F:1F90" or a 32-digit IPv6 address from /proc/net/tcp* → "127.0.0.1" / "::1" / "::ffff:127.0.0.1" / hex. */
export function decodeAddress(hex) {
  if (hex.length === 8)
    return hex
      .match(/../g)
      .reverse()
      .map((b) => parseInt(b, 16))
      .join(".");
  if (hex === "00000000000000000000000001000000") return "::1";
  if (hex === "00000000000000000000000000000000") return "::";
  if (hex.startsWith("0000000000000000FFFF0000")) return `::ffff:${decodeAddress(hex.slice(24))}`;
  return hex;
}

/** TCP sockets in LISTEN state held by `pids`: [{ pid, address, port }]. */
export function listeningSockets(pids) {
  const owner = new Map(); // socket inode → pid
  for (const pid of pids) {
    let fds;
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode) owner.set(inode, pid);
      } catch {
        // closed meanwhile
      }
    }
  }
  const sockets = [];
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    for (const line of (read(file) ?? "").split("\n").slice(1)) {
      const [, local, , state, , , , , , inode] = line.trim().split(/\s+/);
      if (state !== "0A" || !owner.has(inode)) continue; // 0A = LISTEN
      const [address, port] = local.split(":");
      sockets.push({ pid: owner.get(inode), address: decodeAddress(address), port: parseInt(port, 16) });
    }
  }
  return sockets;
}

/** True for 127.0.0.1, ::1 and ::ffff:127.0.0.1 (loopback only). */
export function isLoopback(address) {
  return address === "::1" || /^(::ffff:)?127\./.test(address);
}
