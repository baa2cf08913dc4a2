// Drives the bctrl-mcp binary (path in BCTRL_MCP_BIN) over stdio with the
// official TypeScript SDK v2 client at protocol 2026-07-28, on the built-in
// simulator. Run by go test (TestTypeScriptSDKv2Client).
//
// Tasks are not tested here: @modelcontextprotocol/client 2.4.0 does not
// support the io.modelcontextprotocol/tasks extension. Its 2026-07-28 result
// decoder accepts only resultType "complete" and "input_required", so a
// client that declared the extension would get SdkError "Unsupported result
// type 'task' for tools/call". The raw JSON-RPC test TestTasksOverStdio
// covers tasks.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFiles } from "./files-check.mjs";
import { Client } from "@modelcontextprotocol/client";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";

const LOG_LEVEL = "io.modelcontextprotocol/logLevel";
const TASKS = "io.modelcontextprotocol/tasks";

// UNKNOWN_RESOURCE is the code of a read that names nothing in this era.
const UNKNOWN_RESOURCE = -32602;

async function connect() {
  const transport = new StdioClientTransport({
    command: process.env.BCTRL_MCP_BIN,
    env: { ...process.env, BCTRL_SIMULATE: "true", BCTRL_SIM_SPEED: "20" },
    stderr: "pipe",
  });
  const client = new Client(
    { name: "ts-sdk-v2-e2e", version: "1.0.0" },
    { capabilities: {}, versionNegotiation: { mode: { pin: "2026-07-28" } } },
  );
  const errors = [];
  client.onerror = (e) => errors.push(e.message); // e.g. a progress notification after its result
  const logs = [];
  client.setNotificationHandler("notifications/message", (n) => logs.push(n.params));
  await client.connect(transport);
  return { client, errors, logs };
}

const createArgs = (instruction, waitSeconds) => ({ provider: "stagehand", input: { instruction }, waitSeconds });

test("2026-07-28: discover, tools/list, progress, per-request logs, cancellation, get, cancel, bad input", async () => {
  const { client, errors, logs } = await connect();
  try {
    assert.equal(client.getNegotiatedProtocolVersion(), "2026-07-28");
    const discover = await client.discover();
    assert.ok(discover.supportedVersions.includes("2026-07-28") && discover.supportedVersions.includes("2025-11-25"), `${discover.supportedVersions}`);
    assert.deepEqual(discover.capabilities.extensions?.[TASKS], {});
    assert.equal(discover.capabilities.tasks, undefined, "the 2025-11-25 tasks capability is not offered");

    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["cancel_invocation", "create_invocation", "get_invocation"]);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, "object");
      assert.equal(t.outputSchema.type, "object");
      assert.equal(typeof t.annotations.readOnlyHint, "boolean");
      assert.equal(t.execution?.taskSupport, undefined, `${t.name} declares taskSupport`);
    }

    // A create with progress, at three log levels. Logs name their invocation.
    const runs = {};
    for (const level of ["info", "warning", undefined]) {
      const progress = [];
      const params = { name: "create_invocation", arguments: createArgs("Compare prices sim:steps=5", 30) };
      if (level) params._meta = { [LOG_LEVEL]: level };
      const created = await client.callTool(params, { onprogress: (p) => progress.push(p), timeout: 60000 });
      assert.equal(created.isError ?? false, false);
      assert.equal(created.structuredContent.status, "succeeded");
      assert.equal(created.structuredContent.terminal, true);
      const messages = new Set(progress.map((p) => p.message));
      assert.ok(messages.size >= 3, `${level}: only ${messages.size} distinct progress messages: ${[...messages]}`);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, `${level}: progress must increase`);
      runs[level ?? "none"] = created.structuredContent.id;
    }

    const got = await client.callTool({ name: "get_invocation", arguments: { invocationId: runs.info } });
    assert.equal(got.structuredContent.id, runs.info);
    assert.equal(got.structuredContent.status, "succeeded");

    const hang = await client.callTool({ name: "create_invocation", arguments: { provider: "browserUse", input: { instruction: "sim:hang" }, waitSeconds: 0 } });
    const cancelled = await client.callTool({ name: "cancel_invocation", arguments: { invocationId: hang.structuredContent.id } });
    assert.equal(cancelled.structuredContent.status, "cancelling");

    const bad = await client.callTool({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "x" }, config: { llm: {} } } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /valid fields here: executionModel, model, systemPrompt/);

    // Cancellation: abort a 50 s wait at its first progress; the server stops waiting and does not answer it.
    const long = await client.callTool({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "sim:hang" }, waitSeconds: 0 } });
    const abort = new AbortController();
    await assert.rejects(
      client.callTool(
        { name: "get_invocation", arguments: { invocationId: long.structuredContent.id, waitSeconds: 50 } },
        { signal: abort.signal, onprogress: () => abort.abort("test cancels"), timeout: 30000 },
      ),
    );
    const after = await client.callTool({ name: "get_invocation", arguments: { invocationId: runs.info } });
    assert.equal(after.structuredContent.status, "succeeded", "the server serves on after a cancellation");

    // Logs only for the request that asked, only at or above its level; every status is also in the result.
    await client.listTools({}, { cacheMode: "bypass" }); // one more round trip: every earlier notification is handled
    const logsFor = (id) => logs.filter((l) => l.data?.invocationId === id);
    assert.ok(logsFor(runs.info).length > 0, "no log for the request with logLevel info");
    for (const l of logsFor(runs.info)) assert.equal(l.level, "info");
    assert.ok(logsFor(runs.info).some((l) => l.logger === "bctrl" && l.data.status === "succeeded"), "no status log for the end");
    assert.deepEqual(logsFor(runs.warning), [], "logs below the request's level");
    assert.deepEqual(logsFor(runs.none), [], "logs for a request without logLevel");
    assert.equal(logs.length, logsFor(runs.info).length, "logs for requests that did not ask for them");

    assert.deepEqual(errors, [], "client reported protocol errors");
  } finally {
    await client.close();
  }
});

test("files: resource_link and image content, templates, text and blob reads, unknown resource", async () => {
  const { client, errors } = await connect();
  try {
    await checkFiles(client, UNKNOWN_RESOURCE);
    assert.deepEqual(errors, [], "client reported protocol errors");
  } finally {
    await client.close();
  }
});
