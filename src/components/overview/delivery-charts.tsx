"use client";

import type { ReactElement } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { TDeliverySeries } from "~/server/services/overview/delivery-series";
import { formatDuration } from "../console/format";

const hhmm = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "UTC" });
const tick = (at: number) => hhmm.format(at);
const seconds = (ms: number | null) => (ms === null ? null : Math.round(ms / 100) / 10);
const axis = { fontSize: 11, fill: "#52525b" };

function ChartCard({ id, title, summary, testId, children }: { id: string; title: string; summary: string; testId: string; children: ReactElement }) {
  return (
    <figure aria-labelledby={`${id}-title`} aria-describedby={`${id}-summary`} data-testid={testId} className="min-w-0 rounded-lg border border-zinc-200 bg-white p-4 shadow-sm">
      <figcaption>
        <h3 id={`${id}-title`} className="text-sm font-semibold text-zinc-900">{title}</h3>
        <p id={`${id}-summary`} className="text-xs text-zinc-600">{summary}</p>
      </figcaption>
      <div className="mt-2 h-48">
        <ResponsiveContainer width="100%" height="100%">{children}</ResponsiveContainer>
      </div>
    </figure>
  );
}

/**
 * Deliveries over time: succeeded per bucket, failures (failed attempts and deliveries gone dead) and
 * lag (p50 / p95). Times are UTC, like the rest of the console.
 */
export function DeliveryCharts({ series }: { series: TDeliverySeries }) {
  const per = series.range === "1h" ? "minute" : "hour";
  const span = series.range === "1h" ? "the last 60 minutes" : "the last 24 hours";
  const data = series.points.map((p) => ({ ...p, lagP50: seconds(p.lagP50Ms), lagP95: seconds(p.lagP95Ms) }));
  const lags = series.points.flatMap((p) => (p.lagP95Ms === null ? [] : [p.lagP95Ms]));
  const worstLag = lags.length ? formatDuration(Math.max(...lags)) : null;
  const xAxis = <XAxis dataKey="at" tickFormatter={tick} tick={axis} minTickGap={24} />;
  const tooltip = <Tooltip labelFormatter={(at) => `${tick(Number(at))} UTC`} />;
  return (
    <div className="grid gap-4 lg:grid-cols-3">
      <ChartCard id="chart-delivered" testId="chart-delivered" title={`Deliveries per ${per}`} summary={`${series.totals.succeeded} succeeded in ${span}.`}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {xAxis}
          <YAxis allowDecimals={false} tick={axis} width={32} />
          {tooltip}
          <Bar dataKey="succeeded" name="Succeeded" fill="#4f46e5" isAnimationActive={false} />
        </BarChart>
      </ChartCard>
      <ChartCard id="chart-failures" testId="chart-failures" title={`Failures per ${per}`} summary={`${series.totals.failedAttempts} failed ${series.totals.failedAttempts === 1 ? "attempt" : "attempts"} and ${series.totals.dead} ${series.totals.dead === 1 ? "delivery" : "deliveries"} gone dead in ${span}.`}>
        <BarChart data={data}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {xAxis}
          <YAxis allowDecimals={false} tick={axis} width={32} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar dataKey="failedAttempts" name="Failed attempts" fill="#d97706" isAnimationActive={false} />
          <Bar dataKey="dead" name="Dead" fill="#dc2626" isAnimationActive={false} />
        </BarChart>
      </ChartCard>
      <ChartCard id="chart-lag" testId="chart-lag" title="Lag, change to delivery (s)" summary={worstLag ? `p95 peaked at ${worstLag} in ${span}.` : `Nothing delivered in ${span}.`}>
        <LineChart data={data}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          {xAxis}
          <YAxis tick={axis} width={40} />
          {tooltip}
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Line dataKey="lagP50" name="p50" stroke="#4f46e5" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
          <Line dataKey="lagP95" name="p95" stroke="#db2777" dot={{ r: 2 }} connectNulls isAnimationActive={false} />
        </LineChart>
      </ChartCard>
    </div>
  );
}
