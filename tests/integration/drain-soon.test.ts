import { afterAll, describe, expect, it } from "vitest";
import { drainSoon } from "~/server/engine/runtime";
import { startHarness, type Harness } from "../helpers/harness";

const harnesses: Harness[] = [];
afterAll(async () => {
  for (const h of harnesses) await h.stop();
});

describe("draining after a webhook when no worker runs in the process (RUN_WORKERS=false, serverless)", () => {
  it("each engine gets its own drain, and webhooks that arrive during one make it go again", async () => {
    for (let i = 0; i < 2; i++) harnesses.push(await startHarness({ worker: false }));
    const [a, b] = harnesses as [Harness, Harness];
    for (const h of [a, b]) {
      h.samples.system("dashboard").create({ name: "Drained", slug: "drained", description: "d", is_active: true });
      await h.samples.system("dashboard").webhooksIdle();
    }
    // Engine B's drain is asked for while A's runs: it must not ride on A's.
    const first = [drainSoon(a.engine), drainSoon(b.engine)];
    a.samples.system("dashboard").create({ name: "During", slug: "during", description: "d", is_active: true });
    await a.samples.system("dashboard").webhooksIdle();
    const again = drainSoon(a.engine); // joins A's running drain, which goes once more
    await Promise.all([...first, again]);

    // Applied and delivered by the drains alone (no worker runs): the CMS holds what each Dashboard made.
    expect(a.samples.system("cms").all().map((d) => d.slug).sort()).toEqual(["drained", "during"]);
    expect(b.samples.system("cms").all().map((d) => d.slug)).toEqual(["drained"]);
  }, 60_000);
});
