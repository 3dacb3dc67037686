// The ingest bench's "minimal Next route handler": the same Next version as Concord, one route, no pages.
/** @type {import('next').NextConfig} */
export default { poweredByHeader: false, typescript: { ignoreBuildErrors: true } };
