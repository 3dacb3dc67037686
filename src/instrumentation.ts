/** Next calls this once per server process before it serves requests. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServerOrExit } = await import("~/server/startup");
  await startServerOrExit();
}
