// Control endpoints of one system (no auth): `/_stats`, `/_faults`, `/_webhook-faults`, `/_webhooks`,
// `/_config`, `/_reset`, `/_seed`, `/_all`, and `/_requests` where the system records requests.
import type { IncomingMessage, ServerResponse } from "node:http";
import { ValidationError, type Doc } from "./collection";
import type { Faults } from "./faults";
import { MIB, parseJsonObject, readBody, sendJson } from "./http";
import type { SampleSystem, SystemConfig } from "./system";
import type { WebhookFaults } from "./webhook-faults";

const SEED_BODY_LIMIT = 256 * MIB;

/** Answers `${method} ${rest}` when it is a control endpoint; false otherwise. Throws like the handlers. */
export async function serveControl(s: SampleSystem, req: IncomingMessage, res: ServerResponse, control: string): Promise<boolean> {
  switch (control) {
    case "GET /_stats":
      sendJson(res, 200, s.getStats());
      return true;
    case "GET /_faults":
      sendJson(res, 200, s.getFaults());
      return true;
    case "PUT /_faults":
    case "PATCH /_faults":
      sendJson(res, 200, s.setFaults(parseJsonObject(await readBody(req)) as Partial<Faults>));
      return true;
    case "GET /_webhook-faults":
      sendJson(res, 200, s.getWebhookFaults());
      return true;
    case "PUT /_webhook-faults":
    case "PATCH /_webhook-faults":
      sendJson(res, 200, s.setWebhookFaults(parseJsonObject(await readBody(req)) as Partial<WebhookFaults>));
      return true;
    case "GET /_webhooks":
      sendJson(res, 200, { outcomes: s.webhookOutcomes() });
      return true;
    case "GET /_config":
      sendJson(res, 200, s.getConfig());
      return true;
    case "PUT /_config":
    case "PATCH /_config":
      sendJson(res, 200, s.setConfig(parseJsonObject(await readBody(req)) as Partial<SystemConfig>));
      return true;
    case "POST /_reset":
      s.reset();
      sendJson(res, 200, { ok: true });
      return true;
    case "POST /_seed":
      sendJson(res, 200, seedFromBody(s, parseJsonObject(await readBody(req, SEED_BODY_LIMIT))));
      return true;
    case "GET /_all":
      sendJson(res, 200, Object.fromEntries([...s.collections].map(([n, c]) => [n, c.all()])));
      return true;
    case "GET /_requests":
    case "DELETE /_requests":
      if (!s.requestLog) return false;
      if (control.startsWith("DELETE")) s.requestLog.clear();
      sendJson(res, 200, s.requestLog.snapshot());
      return true;
    default:
      return false;
  }
}

function seedFromBody(s: SampleSystem, body: Doc): { seeded: number; count: number } {
  const name = typeof body.collection === "string" ? body.collection : undefined;
  if (name !== undefined && !s.collections.has(name)) throw new ValidationError({ collection: "Unknown collection" });
  let seeded: number;
  if (typeof body.generate === "number") {
    if (!Number.isInteger(body.generate) || body.generate < 0 || body.generate > 1_000_000) {
      throw new ValidationError({ generate: "Must be an integer in 0..1000000" });
    }
    seeded = s.seedSynthetic(body.generate, typeof body.offset === "number" ? body.offset : 0);
  } else if (Array.isArray(body.records)) {
    seeded = s.seed(body.records as Doc[], name);
  } else if (body.sample === true) {
    seeded = s.seedSample();
  } else {
    throw new ValidationError({ records: "Expected { records: [...] }, { generate: n } or { sample: true }" });
  }
  return { seeded, count: s.getStats().count };
}
