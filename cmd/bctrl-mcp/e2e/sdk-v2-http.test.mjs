// Drives bctrl-mcp --http --http-auth passthrough (URL in BCTRL_MCP_URL, the
// caller's own key in BCTRL_MCP_KEY) with the official TypeScript SDK v2
// client over Streamable HTTP at 2026-07-28. Run by go test
// (TestTypeScriptSDKv2ClientOverHTTP) on the simulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client, StreamableHTTPClientTransport } from "@modelcontextprotocol/client";

const LOG_LEVEL = "io.modelcontextprotocol/logLevel";
const url = new URL(process.env.BCTRL_MCP_URL);
const space = "6f1c2a8e-0d4b-4c3e-9b7a-1e2f3a4b5c6d";
const runtime = "7a2b3c4d-5e6f-4a1b-8c9d-0e1f2a3b4c5d";

async function connect() {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers: { Authorization: `Bearer ${process.env.BCTRL_MCP_KEY}` } } });
  const client = new Client({ name: "ts-sdk-v2-http-e2e", version: "1.0.0" }, { capabilities: {}, versionNegotiation: { mode: { pin: "2026-07-28" } } });
  const errors = [];
  client.onerror = (e) => errors.push(e.message);
  const logs = [];
  client.setNotificationHandler("notifications/message", (n) => logs.push(n.params));
  await client.connect(transport);
  return { client, errors, logs };
}

const create = (instruction, waitSeconds) => ({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction }, spaceId: space, runtimeId: runtime, waitSeconds } });

test("2026-07-28 over HTTP: discover, progress, per-request logs, closing the stream cancels the wait, get, cancel", async () => {
  const { client, errors, logs } = await connect();
  try {
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    const discover = await client.discover();
    assert.ok(discover.supportedVersions.includes("2026-07-28"));

    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["cancel_invocation", "create_invocation", "get_invocation"]);

    const progress = [];
    const params = { ...create("Compare prices sim:steps=5", 30), _meta: { [LOG_LEVEL]: "info" } };
    const done = await client.callTool(params, { onprogress: (p) => progress.push(p), timeout: 60000 });
    assert.equal(done.isError ?? false, false);
    assert.equal(done.structuredContent.status, "succeeded");
    assert.ok(new Set(progress.map((p) => p.message)).size >= 3, `too few progress messages: ${progress.map((p) => p.message)}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, "progress must increase");
    const id = done.structuredContent.id;
    assert.ok(logs.some((l) => l.logger === "bctrl" && l.data?.invocationId === id && l.data.status === "succeeded"), "no status log for the request that asked");

    // Closing the stream at the first progress cancels the wait; the invocation keeps running.
    const long = await client.callTool(create("sim:hang", 0));
    const abort = new AbortController();
    await assert.rejects(client.callTool(
      { name: "get_invocation", arguments: { invocationId: long.structuredContent.id, waitSeconds: 50 } },
      { signal: abort.signal, onprogress: () => abort.abort("test cancels"), timeout: 30000 },
    ));
    const still = await client.callTool({ name: "get_invocation", arguments: { invocationId: long.structuredContent.id } });
    assert.equal(still.structuredContent.terminal, false, "the invocation ended with the wait");

    const cancelled = await client.callTool({ name: "cancel_invocation", arguments: { invocationId: long.structuredContent.id } });
    assert.equal(cancelled.structuredContent.status, "cancelling");

    const noSpace = await client.callTool({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "x" } } });
    assert.equal(noSpace.isError, true, "passthrough has no server-wide space");
    assert.match(noSpace.content[0].text, /spaceId/);

    assert.deepEqual(errors, [], "client reported protocol errors");
  } finally {
    await client.close();
  }
});
