// The REST connector's whole suite again, through the engine's pooled undici client instead of fetch: the same
// answers, errors (timeouts, refused connections, 429 with Retry-After) and attempt reports either way.
import { createHttpClient } from "~/server/engine/http-client";

(globalThis as { __connectorTestClient?: unknown }).__connectorTestClient = createHttpClient();
await import("./connectors-rest.test");
