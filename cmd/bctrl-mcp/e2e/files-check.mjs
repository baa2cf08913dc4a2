// The files check both stdio SDK tests run (SDK 1.x and 2.x): an invocation
// that produced files lists them as resource_link content with an inline
// image, each reads back (CSV as text, PNG as a base64 blob), the two
// resource templates are listed, and an unknown invocation is refused with
// the era's code (unknownResourceCode).
import assert from "node:assert/strict";

export async function checkFiles(client, unknownResourceCode) {
  const res = await client.callTool(
    { name: "create_invocation", arguments: { provider: "stagehand", input: { instruction: "Export the prices sim:artifacts sim:steps=2" }, waitSeconds: 30 } },
    undefined,
    { timeout: 60000 },
  );
  assert.equal(res.structuredContent.status, "succeeded");
  assert.equal(res.structuredContent.artifacts.length, 2);
  const links = res.content.filter((c) => c.type === "resource_link");
  const images = res.content.filter((c) => c.type === "image");
  assert.equal(links.length, 2);
  assert.equal(images.length, 1);
  assert.equal(images[0].mimeType, "image/png");
  for (const link of links) {
    const { contents } = await client.readResource({ uri: link.uri });
    assert.equal(contents.length, 1);
    if (link.mimeType === "text/csv") {
      assert.match(contents[0].text, /^product,price/);
      assert.equal(link.size, contents[0].text.length);
    } else {
      assert.equal(contents[0].mimeType, "image/png");
      assert.equal(Buffer.from(contents[0].blob, "base64").subarray(1, 4).toString(), "PNG");
    }
  }
  const { resourceTemplates } = await client.listResourceTemplates();
  assert.deepEqual(resourceTemplates.map((t) => t.uriTemplate).sort(), ["bctrl://invocations/{invocationId}", "bctrl://runs/{runId}/artifacts/{artifactId}"]);
  await assert.rejects(client.readResource({ uri: "bctrl://invocations/0b9e8d7c-6b5a-4f3e-8d2c-1b0a9f8e7d6c" }), (e) => e.code === unknownResourceCode);
}
