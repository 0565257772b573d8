// A small client for one student of a JupyterHub, as a browser would be: the login form, an API token,
// the student's server, the contents API and the Jupyter kernel protocol over the hub's proxy (websocket,
// JSON messages). Needs WebSocket (Node ≥ 22, or Node 20 with --experimental-websocket).
import { randomUUID } from "node:crypto";
import { request as httpRequest } from "node:http";

/** One student's session with the hub at `url` (http://127.0.0.1:PORT). */
export class HubUser {
  constructor(url, name) {
    this.url = url;
    this.name = name;
    this.cookies = new Map();
    this.token = null;
  }

  /**
   * One HTTP request with this student's cookies and token; returns { ok, status, text() }. Plain node:http, as
   * a browser's navigation would send it: Node's fetch adds "Sec-Fetch-Mode: cors", and JupyterHub then sets
   * no _xsrf cookie on the login page (and re-signs the token at the POST, which fails when the second changed).
   */
  #fetch(path, { method = "GET", body, headers = {}, timeout = 120_000, token = true } = {}) {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const all = {
      ...(cookie ? { cookie } : {}),
      ...(token && this.token ? { authorization: `token ${this.token}` } : {}),
      ...headers,
    };
    return new Promise((done, fail) => {
      const request = httpRequest(this.url + path, { method, headers: all, timeout }, (response) => {
        for (const line of response.headers["set-cookie"] ?? []) {
          const [pair] = line.split(";");
          const at = pair.indexOf("=");
          this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
        }
        const chunks = [];
        response.on("data", (chunk) => chunks.push(chunk));
        response.on("end", () => {
          const bytes = Buffer.concat(chunks);
          const text = bytes.toString("utf8");
          const {
            statusCode: status,
            headers: { location },
          } = response;
          done({
            ok: status >= 200 && status < 300,
            status,
            location,
            bytes,
            text: () => Promise.resolve(text),
            json: () => Promise.resolve().then(() => JSON.parse(text)),
          });
        });
      });
      request.on("timeout", () =>
        request.destroy(new Error(`${method} ${path}: no answer within ${timeout / 1000} s`)),
      );
      request.on("error", fail);
      request.end(body === undefined ? undefined : String(body));
    });
  }

  /** JSON API call; throws with the status and body when the answer is not 2xx. */
  async api(method, path, body) {
    const response = await this.#fetch(path, {
      method,
      ...(body ? { body: JSON.stringify(body), headers: { "content-type": "application/json" } } : {}),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
    return text ? JSON.parse(text) : null;
  }

  /**
   * GET as a page's <script src> would load it: this student's cookies only (no API token), following
   * redirects on this hub (a server's first request makes the OAuth round trip through the hub, which sets
   * the server's own cookie). Returns { status, bytes, path } of the last answer.
   */
  async browserGet(path, redirects = 10) {
    for (let hop = 0; ; hop++) {
      const response = await this.#fetch(path, { token: false });
      if (![301, 302, 303, 307].includes(response.status) || !response.location || hop === redirects)
        return { status: response.status, bytes: response.bytes, path };
      const next = new URL(response.location, this.url + path);
      if (next.origin !== new URL(this.url).origin)
        return { status: response.status, bytes: response.bytes, path, leaves: next.origin };
      path = next.pathname + next.search;
    }
  }

  /** Logs in through the login form (with its XSRF token), then asks the hub for an API token of this user. */
  async login(password) {
    const page = await (await this.#fetch("/hub/login")).text();
    const xsrf = /name="_xsrf" value="([^"]+)"/.exec(page)?.[1];
    if (!xsrf || !this.cookies.has("_xsrf")) throw new Error("the login page set no _xsrf cookie or field");
    const form = new URLSearchParams({ username: this.name, password, _xsrf: xsrf });
    const response = await this.#fetch("/hub/login", {
      method: "POST",
      body: form,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    await response.text();
    if (response.status !== 302 || !this.cookies.has("jupyterhub-session-id"))
      throw new Error(`login of ${this.name} refused (HTTP ${response.status})`);
    const answer = await this.#fetch(`/hub/api/users/${this.name}/tokens`, {
      method: "POST",
      body: JSON.stringify({ note: "batchnorm-lab load test", expires_in: 3600 }),
      headers: { "content-type": "application/json", "x-xsrftoken": this.cookies.get("_xsrf") ?? xsrf },
    });
    const body = await answer.json();
    if (!answer.ok) throw new Error(`token request → ${answer.status}: ${JSON.stringify(body)}`);
    this.token = body.token;
  }

  /** Starts the student's server (first login: the hub's pre-spawn hook makes the copy) and waits until it is ready. */
  async startServer({ timeout = 300_000 } = {}) {
    await this.api("POST", `/hub/api/users/${this.name}/server`).catch((error) => {
      if (!/→ 400: .*already running/.test(error.message)) throw error;
    });
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const user = await this.api("GET", `/hub/api/users/${this.name}`);
      if (user.servers?.[""]?.ready) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`the server of ${this.name} was not ready within ${timeout / 1000} s`);
  }

  /** Path inside the student's server: /user/<name>/<rest>. */
  server(rest) {
    return `/user/${this.name}/${rest}`;
  }

  getNotebook(path) {
    return this.api("GET", this.server(`api/contents/${path}?type=notebook&content=1`)).then((model) => model.content);
  }

  saveNotebook(path, notebook) {
    return this.api("PUT", this.server(`api/contents/${path}`), {
      type: "notebook",
      format: "json",
      content: notebook,
    });
  }

  /** A kernel for the notebook at `path` (a Jupyter session: the kernel starts in the notebook's folder). */
  async openKernel(path, { kernelName = "tslab", timeout = 300_000 } = {}) {
    const started = Date.now();
    const session = await this.api("POST", this.server("api/sessions"), {
      path,
      type: "notebook",
      name: "",
      kernel: { name: kernelName },
    });
    const wsUrl = `${this.url.replace(/^http/, "ws")}${this.server(`api/kernels/${session.kernel.id}/channels`)}?session_id=${session.id}&token=${this.token}`;
    const kernel = new KernelChannel(wsUrl, this.name);
    try {
      kernel.attempts = await kernel.connect({ timeout }); // resolves at the kernel's first kernel_info_reply: it is ready
    } catch (error) {
      kernel.close();
      await this.closeSession(session.id).catch(() => {}); // do not leave a kernel that is still starting
      throw error;
    }
    return Object.assign(kernel, { id: session.kernel.id, sessionId: session.id, startMs: Date.now() - started });
  }

  closeSession(sessionId) {
    return this.api("DELETE", this.server(`api/sessions/${sessionId}`));
  }
}

/** The Jupyter messaging protocol (v5.3) on one kernel's websocket: execute requests and their outputs. */
export class KernelChannel {
  constructor(url, username) {
    this.url = url;
    this.username = username;
    this.session = randomUUID();
    this.pending = new Map(); // msg_id → { reply, idle, outputs, done, fail }
    this.died = null;
    this.displays = new Map(); // display_id → the outputs it updates (a live figure may be updated from a later cell)
  }

  /**
   * Connects until the kernel answers a kernel_info_request, as a frontend does: each attempt is bounded by
   * `attemptMs`; an attempt that dies (the server restarted the kernel: e.g. tslab exits when another process
   * took one of its ports, and Jupyter starts it again on new ports) or stays silent closes the websocket and
   * reconnects (the server then checks the kernel's ports again and makes new channels). Returns the attempts
   * ({ ms, error? } each); throws with them when `timeout` passes.
   */
  async connect({ attemptMs = 60_000, timeout = 300_000 } = {}) {
    const deadline = Date.now() + timeout;
    const attempts = [];
    for (;;) {
      const t0 = Date.now();
      this.close();
      this.died = null;
      try {
        await this.open(Math.min(attemptMs, Math.max(1000, deadline - t0)));
        attempts.push({ ms: Date.now() - t0 });
        return attempts;
      } catch (error) {
        attempts.push({ ms: Date.now() - t0, error: error.message });
        if (Date.now() + 1000 >= deadline)
          throw new Error(`the kernel did not answer within ${timeout / 1000} s: ${JSON.stringify(attempts)}`, {
            cause: error,
          });
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  }

  open(timeout = 120_000) {
    const ws = (this.ws = new WebSocket(this.url)); // a reconnection replaces it; the old one's events are then ignored
    ws.onmessage = (event) => this.ws === ws && this.#receive(JSON.parse(event.data));
    ws.onclose = () => this.ws === ws && this.#failAll(this.died ?? new Error("the kernel's websocket closed"));
    const started = Date.now();
    return new Promise((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`websocket: not open within ${timeout / 1000} s`)), timeout); // the server's handshake waits for the kernel
      ws.onopen = () => (
        clearTimeout(timer),
        this.request("kernel_info_request", {}, Math.max(1000, timeout - (Date.now() - started))).then(done, fail)
      );
      ws.onerror = () => (
        clearTimeout(timer),
        fail(new Error(`websocket to ${this.url.replace(/token=\w+/, "token=…")} failed`))
      );
    });
  }

  /** Sends a shell request; resolves with { reply, outputs } once the reply and iopub's idle for it arrived. */
  request(type, content, timeout = 600_000) {
    const msgId = randomUUID();
    const header = {
      msg_id: msgId,
      msg_type: type,
      username: this.username,
      session: this.session,
      date: new Date().toISOString(),
      version: "5.3",
    };
    if (this.died) return Promise.reject(this.died); // never wait for a reply on a connection whose kernel died
    return new Promise((done, fail) => {
      const timer = setTimeout(
        () => (this.pending.delete(msgId), fail(new Error(`${type}: no reply within ${timeout / 1000} s`))),
        timeout,
      );
      const entry = {
        reply: null,
        idle: type === "kernel_info_request",
        outputs: [],
        byDisplay: this.displays,
        clearNext: false,
      };
      /** @param {Error} [error] */
      entry.finish = (error) => (clearTimeout(timer), this.pending.delete(msgId), error ? fail(error) : done(entry));
      this.pending.set(msgId, entry);
      this.ws.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: "shell", buffers: [] }));
    });
  }

  execute(code, timeout) {
    return this.request(
      "execute_request",
      { code, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true },
      timeout,
    );
  }

  #receive(message) {
    const type = message.header.msg_type;
    if (type === "status" && ["restarting", "dead"].includes(message.content.execution_state)) {
      this.died = new Error(`kernel ${message.content.execution_state} (it died)`);
      return this.#failAll(this.died);
    }
    const entry = this.pending.get(message.parent_header?.msg_id);
    if (!entry) return;
    if (message.channel === "shell") entry.reply = message.content;
    else if (type === "status" && message.content.execution_state === "idle") entry.idle = true;
    else if (message.channel === "iopub") addOutput(entry, type, message.content);
    if (entry.reply && entry.idle) entry.finish();
  }

  #failAll(error) {
    for (const entry of [...this.pending.values()]) entry.finish(error);
  }

  close() {
    this.ws?.close();
  }
}

/** Turns one iopub message into the nbformat outputs of its cell (streams merged, displays updated by id). */
function addOutput(entry, type, content) {
  if (type === "clear_output") {
    if (content.wait) entry.clearNext = true;
    else entry.outputs.length = 0;
    return;
  }
  if (type === "update_display_data") {
    for (const output of entry.byDisplay.get(content.transient?.display_id) ?? [])
      Object.assign(output, { data: content.data, metadata: content.metadata });
    return;
  }
  const output = toOutput(type, content);
  if (!output) return;
  if (entry.clearNext) {
    entry.outputs.length = 0;
    entry.clearNext = false;
  }
  const last = entry.outputs.at(-1);
  if (output.output_type === "stream" && last?.output_type === "stream" && last.name === output.name)
    last.text += output.text;
  else entry.outputs.push(output);
  const id = content.transient?.display_id;
  if (id) entry.byDisplay.set(id, [...(entry.byDisplay.get(id) ?? []), output]);
}

function toOutput(type, content) {
  if (type === "stream") return { output_type: "stream", name: content.name, text: content.text };
  if (type === "display_data")
    return { output_type: "display_data", data: content.data, metadata: content.metadata ?? {} };
  if (type === "execute_result")
    return {
      output_type: "execute_result",
      execution_count: content.execution_count,
      data: content.data,
      metadata: content.metadata ?? {},
    };
  if (type === "error")
    return { output_type: "error", ename: content.ename, evalue: content.evalue, traceback: content.traceback };
  return null;
}
