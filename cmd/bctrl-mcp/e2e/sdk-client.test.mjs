// Drives the bctrl-mcp binary (path in BCTRL_MCP_BIN) over stdio with the
// official TypeScript SDK client, on the built-in simulator. Run by go test.
import { test } from "node:test";
import assert from "node:assert/strict";
import { checkFiles } from "./files-check.mjs";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

// UNKNOWN_RESOURCE is the code of a read that names nothing in this era.
const UNKNOWN_RESOURCE = -32002;

async function connect() {
  const transport = new StdioClientTransport({
    command: process.env.BCTRL_MCP_BIN,
    env: { ...process.env, BCTRL_SIMULATE: "true", BCTRL_SIM_SPEED: "20" },
    stderr: "pipe",
  });
  const client = new Client({ name: "ts-sdk-e2e", version: "1.0.0" }, { capabilities: {} });
  const errors = [];
  client.onerror = (e) => errors.push(e.message); // e.g. a progress notification after its result
  const logs = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => logs.push(n.params));
  await client.connect(transport);
  await client.setLoggingLevel("info");
  return { client, errors, logs };
}

test("tools/list, create with progress, get, cancel, bad input", async () => {
  const { client, errors, logs } = await connect();
  try {
    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["cancel_invocation", "create_invocation", "get_invocation"]);
    for (const t of tools) {
      assert.equal(t.inputSchema.type, "object");
      assert.equal(t.outputSchema.type, "object");
      assert.equal(typeof t.annotations.readOnlyHint, "boolean");
    }

    const progress = [];
    const created = await client.callTool(
      { name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "Compare prices sim:steps=5" }, waitSeconds: 30 } },
      undefined,
      { onprogress: (p) => progress.push(p), timeout: 60000 },
    );
    assert.equal(created.isError ?? false, false);
    assert.equal(created.structuredContent.status, "succeeded");
    assert.equal(created.structuredContent.terminal, true);
    const messages = new Set(progress.map((p) => p.message));
    assert.ok(messages.size >= 3, `only ${messages.size} distinct progress messages: ${[...messages]}`);
    for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, "progress must increase");

    const got = await client.callTool({ name: "get_invocation", arguments: { invocationId: created.structuredContent.id } });
    assert.equal(got.structuredContent.id, created.structuredContent.id);

    const hang = await client.callTool({ name: "create_invocation", arguments: { provider: "browserUse", input: { instruction: "sim:hang" }, waitSeconds: 0 } });
    const cancelled = await client.callTool({ name: "cancel_invocation", arguments: { invocationId: hang.structuredContent.id } });
    assert.equal(cancelled.structuredContent.status, "cancelling");

    const bad = await client.callTool({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "x" }, config: { llm: {} } } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /valid fields here: executionModel, model, systemPrompt/);

    assert.ok(logs.some((l) => l.logger === "bctrl" && l.data.status === "succeeded"), "no status log for the end");
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
