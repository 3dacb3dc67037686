/** Next calls this once per server process before it serves requests. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("~/server/startup");
  try {
    await startServer();
  } catch (err) {
    console.error(`[concord] cannot start: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}
