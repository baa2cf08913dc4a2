"use strict";
// A minimal MCP Apps host (protocol 2026-01-26): it lists the server's
// tools and views through /mcp (a relay to the bctrl-mcp server), runs a
// tool from the form, shows the view the tool declares in a sandboxed
// iframe, and bridges the view's JSON-RPC over postMessage.
(() => {
  const PROTOCOL = "2026-01-26";
  const MAX_HEIGHT = 1200;
  // Host style variables, theme-aware through light-dark() as the
  // specification recommends; the view falls back to its own for the rest.
  const STYLE_VARIABLES = {
    "--color-background-primary": "light-dark(#ffffff, #232326)",
    "--color-background-secondary": "light-dark(#f4f4f5, #2e2e33)",
    "--color-text-primary": "light-dark(#18181b, #f4f4f5)",
    "--color-text-secondary": "light-dark(#52525b, #b4b4bb)",
    "--color-border-primary": "light-dark(#d4d4d8, #4a4a52)",
    "--color-ring-primary": "light-dark(#1d4ed8, #93c5fd)",
    "--font-sans": "system-ui, -apple-system, \"Segoe UI\", Roboto, sans-serif",
    "--border-radius-md": "8px",
  };

  const $ = (id) => document.getElementById(id);
  const host = { tools: new Map(), resources: new Map(), bridges: new Set(), theme: "light", panels: 0 };

  let rpcId = 0;
  async function mcp(method, params) {
    const res = await fetch("/mcp", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: ++rpcId, method, params }),
    });
    if (!res.ok) throw rpcError(-32603, "relay answered HTTP " + res.status);
    const msg = await res.json();
    if (msg.error) throw rpcError(msg.error.code, msg.error.message);
    return msg.result;
  }
  function rpcError(code, message) { return Object.assign(new Error(message), { code }); }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    for (const c of children) node.append(c instanceof Node ? c : String(c));
    return node;
  }

  // Bridge is the host side of one view: it answers the view's requests,
  // relays its tool calls and resource reads, and holds notifications
  // until the view says it is initialized.
  class Bridge {
    constructor(iframe, tool, fixtures) {
      this.iframe = iframe;
      this.tool = tool;
      this.fixtures = fixtures || {};
      this.initialized = false;
      this.held = [];
      this.inFlight = 0;
      this.pending = new Map();
      this.nextId = 1;
      this.onMessage = (e) => this.receive(e);
      window.addEventListener("message", this.onMessage);
      host.bridges.add(this);
    }

    send(msg) { if (this.iframe.contentWindow) this.iframe.contentWindow.postMessage(msg, "*"); }
    notify(method, params) {
      if (!this.initialized) { this.held.push({ method, params }); return; }
      this.send({ jsonrpc: "2.0", method, params });
    }
    toolInput(args) { this.notify("ui/notifications/tool-input", { arguments: args }); }
    toolResult(result) { this.notify("ui/notifications/tool-result", result); }
    toolCancelled(reason) { this.notify("ui/notifications/tool-cancelled", { reason }); }

    context() {
      return {
        toolInfo: { tool: this.tool },
        theme: host.theme,
        styles: { variables: STYLE_VARIABLES },
        displayMode: "inline",
        availableDisplayModes: ["inline"],
        containerDimensions: { width: this.iframe.clientWidth, maxHeight: MAX_HEIGHT },
        locale: navigator.language,
        timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
        platform: "web",
        userAgent: "bctrl-mcp-preview",
      };
    }

    async receive(e) {
      if (e.source !== this.iframe.contentWindow) return;
      const m = e.data;
      if (!m || typeof m !== "object" || m.jsonrpc !== "2.0") return;
      if (m.method === undefined) {
        const done = this.pending.get(m.id);
        if (done) { this.pending.delete(m.id); done(m); }
        return;
      }
      if (m.id === undefined) { this.notification(m.method, m.params || {}); return; }
      try {
        this.send({ jsonrpc: "2.0", id: m.id, result: await this.handle(m.method, m.params || {}) });
      } catch (err) {
        this.send({ jsonrpc: "2.0", id: m.id, error: { code: err.code || -32603, message: err.message } });
      }
    }

    notification(method, params) {
      if (method === "ui/notifications/initialized" && !this.initialized) {
        this.initialized = true;
        for (const n of this.held.splice(0)) this.notify(n.method, n.params);
      } else if (method === "ui/notifications/size-changed" && typeof params.height === "number") {
        this.iframe.style.height = Math.min(Math.max(params.height, 40), MAX_HEIGHT) + "px";
      }
    }

    async handle(method, params) {
      switch (method) {
        case "ui/initialize":
          return {
            protocolVersion: PROTOCOL,
            hostInfo: { name: "bctrl-mcp-preview", version: "1.0.0" },
            hostCapabilities: { serverTools: {}, serverResources: {} },
            hostContext: this.context(),
          };
        case "ping":
          return {};
        case "tools/call": {
          const tool = host.tools.get(params.name);
          const visibility = (tool && tool._meta && tool._meta.ui && tool._meta.ui.visibility) || ["model", "app"];
          if (!tool || !visibility.includes("app")) throw rpcError(-32602, "the view may not call " + params.name);
          return this.relay(() => mcp("tools/call", { name: params.name, arguments: params.arguments || {} }));
        }
        case "resources/read":
          if (this.fixtures[params.uri]) return this.relay(async () => ({ contents: [this.fixtures[params.uri]] }));
          return this.relay(() => mcp("resources/read", { uri: params.uri }));
      }
      throw rpcError(-32601, "Method not found: " + method);
    }

    // relay counts the view's calls in flight (the page exposes the most it
    // ever had at once, for the browser test).
    async relay(fn) {
      this.inFlight++;
      const most = Math.max(Number(this.iframe.dataset.maxInFlight || 0), this.inFlight);
      this.iframe.dataset.maxInFlight = String(most);
      this.iframe.dataset.calls = String(Number(this.iframe.dataset.calls || 0) + 1);
      try { return await fn(); } finally { this.inFlight--; }
    }

    // teardown asks the view to finish (bounded), then removes it.
    async teardown() {
      if (this.initialized) {
        const id = this.nextId++;
        await new Promise((resolve) => {
          const timer = setTimeout(resolve, 1000);
          this.pending.set(id, () => { clearTimeout(timer); resolve(); });
          this.send({ jsonrpc: "2.0", id, method: "ui/resource-teardown", params: {} });
        });
      }
      window.removeEventListener("message", this.onMessage);
      host.bridges.delete(this);
      this.iframe.remove();
    }
  }

  // openPanel adds a conversation turn for a tool call and, when the tool
  // declares a view, the view's iframe with its bridge.
  function openPanel(toolName, args, said, fixtures) {
    const n = ++host.panels;
    document.body.dataset.lastPanel = String(n);
    const turn = el("article", { class: "turn", "aria-label": "Run " + n });
    const close = el("button", { type: "button", class: "plain" }, "Close");
    turn.append(el("div", { class: "said" }, el("p", {}, el("strong", {}, toolName + " "), said), close));
    $("conversation").prepend(turn);
    const tool = host.tools.get(toolName);
    const uri = tool && tool._meta && tool._meta.ui && tool._meta.ui.resourceUri;
    let bridge = null;
    if (uri) {
      const iframe = el("iframe", { title: "Invocation panel " + n, sandbox: "allow-scripts", "data-panel": String(n) });
      const resource = host.resources.get(uri);
      const permissions = (resource && resource._meta && resource._meta.ui && resource._meta.ui.permissions) || {};
      if (permissions.clipboardWrite) iframe.setAttribute("allow", "clipboard-write");
      iframe.src = "/view?uri=" + encodeURIComponent(uri);
      turn.append(iframe);
      bridge = new Bridge(iframe, tool, fixtures);
      bridge.toolInput(args);
    }
    close.addEventListener("click", async () => { if (bridge) await bridge.teardown(); turn.remove(); });
    return { turn, bridge };
  }

  // The text the model reads stays what it was: show it under the panel.
  function showText(turn, result) {
    const text = ((result && result.content) || []).filter((c) => c.type === "text").map((c) => c.text).join("\n");
    turn.append(el("details", {}, el("summary", {}, "What the model reads"), el("pre", {}, text)));
  }

  async function run(e) {
    e.preventDefault();
    const instruction = $("instruction").value.trim();
    if (!instruction) return;
    const args = { provider: $("provider").value, input: { instruction }, waitSeconds: Math.max(0, Math.min(50, Number($("wait").value) || 0)) };
    const { turn, bridge } = openPanel("create_invocation", args, instruction.split("\n")[0]);
    try {
      const result = await mcp("tools/call", { name: "create_invocation", arguments: args });
      if (bridge) bridge.toolResult(result);
      showText(turn, result);
    } catch (err) {
      if (bridge) bridge.toolCancelled(err.message);
      turn.append(el("p", { class: "error" }, "create_invocation failed: " + err.message));
    }
  }

  function setTheme(theme) {
    host.theme = theme;
    document.documentElement.dataset.theme = theme;
    for (const b of host.bridges) b.notify("ui/notifications/host-context-changed", { theme, styles: { variables: STYLE_VARIABLES } });
  }

  window.addEventListener("resize", () => {
    for (const b of host.bridges) b.notify("ui/notifications/host-context-changed", { containerDimensions: { width: b.iframe.clientWidth, maxHeight: MAX_HEIGHT } });
  });

  // Test and demo hook: show the panel for a made-up result, with resources
  // the host answers itself (e.g. artifact images), without the server.
  window.bctrlPreview = {
    inject(structuredContent, fixtures) {
      const { turn, bridge } = openPanel("get_invocation", { invocationId: structuredContent.id }, "(fixture)", fixtures);
      const result = { content: [{ type: "text", text: "fixture" }], structuredContent };
      if (bridge) bridge.toolResult(result);
      return turn.querySelector("iframe").dataset.panel;
    },
  };

  async function start() {
    const dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
    $("theme").value = dark ? "dark" : "light";
    setTheme($("theme").value);
    $("theme").addEventListener("change", () => setTheme($("theme").value));
    $("run").addEventListener("submit", run);
    try {
      const [tools, resources] = await Promise.all([mcp("tools/list", {}), mcp("resources/list", {})]);
      for (const t of tools.tools || []) host.tools.set(t.name, t);
      for (const r of resources.resources || []) host.resources.set(r.uri, r);
      const withViews = [...host.tools.values()].filter((t) => t._meta && t._meta.ui && t._meta.ui.resourceUri).map((t) => t.name);
      $("host-status").textContent = "Connected: " + host.tools.size + " tools; views declared by " + (withViews.join(", ") || "none") + ".";
      $("start").disabled = false;
      document.body.dataset.ready = "true";
    } catch (err) {
      $("host-status").textContent = "Could not reach the server: " + err.message;
    }
  }
  start();
})();
