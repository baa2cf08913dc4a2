// Drives bctrl-mcp --http (URL in BCTRL_MCP_URL, access token in
// BCTRL_MCP_TOKEN) with the official TypeScript SDK v1 client over
// Streamable HTTP at 2025-11-25, served without sessions. Run by go test
// (TestTypeScriptSDKClientOverHTTP) on the simulator.
import { test } from "node:test";
import assert from "node:assert/strict";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";

const url = new URL(process.env.BCTRL_MCP_URL);
const auth = { Authorization: `Bearer ${process.env.BCTRL_MCP_TOKEN}` };

async function connect(headers = auth) {
  const transport = new StreamableHTTPClientTransport(url, { requestInit: { headers } });
  const client = new Client({ name: "ts-sdk-http-e2e", version: "1.0.0" }, { capabilities: {} });
  const errors = [];
  client.onerror = (e) => errors.push(e.message); // e.g. a progress notification after its result
  await client.connect(transport);
  return { client, transport, errors };
}

const create = (instruction, waitSeconds) => ({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction }, waitSeconds } });

test("2025-11-25 over HTTP: no session, tools, progress, concurrent calls, get, cancel, bad input", async () => {
  const { client, transport, errors } = await connect();
  try {
    assert.equal(client.getServerVersion().name, "bctrl-mcp");
    assert.equal(transport.sessionId, undefined, "the server minted a session");
    await client.setLoggingLevel("info"); // acknowledged; without a session it cannot last

    const { tools } = await client.listTools();
    assert.deepEqual(tools.map((t) => t.name).sort(), ["cancel_invocation", "create_invocation", "get_invocation"]);

    // Eight calls at once, each streaming its own progress before its own result.
    const runs = await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const progress = [];
      const res = await client.callTool(create(`Run ${i} sim:steps=4`, 30), undefined, { onprogress: (p) => progress.push(p), timeout: 60000 });
      return { res, progress };
    }));
    for (const { res, progress } of runs) {
      assert.equal(res.isError ?? false, false);
      assert.equal(res.structuredContent.status, "succeeded");
      assert.ok(new Set(progress.map((p) => p.message)).size >= 3, `too few progress messages: ${progress.map((p) => p.message)}`);
      for (let i = 1; i < progress.length; i++) assert.ok(progress[i].progress > progress[i - 1].progress, "progress must increase");
    }

    const id = runs[0].res.structuredContent.id;
    const got = await client.callTool({ name: "get_invocation", arguments: { invocationId: id } });
    assert.equal(got.structuredContent.id, id);

    const hang = await client.callTool(create("sim:hang", 0));
    const cancelled = await client.callTool({ name: "cancel_invocation", arguments: { invocationId: hang.structuredContent.id } });
    assert.equal(cancelled.structuredContent.status, "cancelling");

    const bad = await client.callTool({ name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "x" }, config: { llm: {} } } });
    assert.equal(bad.isError, true);
    assert.match(bad.content[0].text, /valid fields here: executionModel, model, systemPrompt/);

    assert.deepEqual(errors, [], "client reported protocol errors");
  } finally {
    await client.close();
  }
});

test("without the access token the server answers 401", async () => {
  await assert.rejects(connect({}), /401|Unauthorized/);
});
