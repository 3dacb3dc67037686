// Present so that Turbopack (whose root is the repository) takes this app's hook, not Concord's src/instrumentation.ts.
export function register(): void {}
