// OpenTelemetry metrics: tool calls (by server, tool, client, outcome), call latency, upstream state
// and open sessions. Read as Prometheus text at /metrics, and pushed over OTLP/HTTP when
// OTEL_EXPORTER_OTLP_ENDPOINT is set. Each gateway has its own MeterProvider (never the global one),
// so several gateways in one process (tests, replicas) keep separate figures.
import { MeterProvider, PeriodicExportingMetricReader, type IMetricReader } from '@opentelemetry/sdk-metrics';
import { PrometheusExporter, PrometheusSerializer } from '@opentelemetry/exporter-prometheus';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import type { UpstreamStatus } from '../upstream/types.ts';

const UPSTREAM_STATUSES: UpstreamStatus[] = ['stopped', 'sleeping', 'starting', 'running', 'crashed', 'error', 'needs_authorization'];

/** Where OTLP/HTTP metrics go, by the OpenTelemetry variables; undefined: no OTLP export. */
function otlpMetricsUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT) return env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/metrics` : undefined;
}

export interface MetricSources {
  openSessions(): number;
  upstreams(): Iterable<{ server: string; status: UpstreamStatus }>;
}

export interface CallMeasurement {
  kind: 'tool' | 'prompt' | 'resource';
  server: string;
  name: string;
  /** The MCP client's name; `-` when the gateway does not authenticate (development mode). */
  client: string;
  outcome: string;
  durationMs: number;
}

export interface GatewayMetrics {
  record(call: CallMeasurement): void;
  /** Audit entries a write could not store (kept and retried). */
  auditWriteFailed(entries: number): void;
  /** Audit entries given up on (logged instead). */
  auditDropped(entries: number): void;
  /** The current figures in the Prometheus text format. */
  prometheusText(): Promise<string>;
  shutdown(): Promise<void>;
}

export function createMetrics(options: { sources: MetricSources; version: string; env: NodeJS.ProcessEnv }): GatewayMetrics {
  const prometheus = new PrometheusExporter({ preventServerStart: true });
  const readers: IMetricReader[] = [prometheus];
  const otlpUrl = otlpMetricsUrl(options.env);
  if (otlpUrl) {
    // Headers and the rest of OTEL_EXPORTER_OTLP_* the exporter reads itself.
    const interval = Number(options.env.OTEL_METRIC_EXPORT_INTERVAL) || 60_000;
    readers.push(new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter({ url: otlpUrl }), exportIntervalMillis: interval }));
  }
  const provider = new MeterProvider({
    resource: resourceFromAttributes({ 'service.name': options.env.OTEL_SERVICE_NAME ?? 'canopy', 'service.version': options.version }),
    readers,
  });
  const meter = provider.getMeter('canopy', options.version);

  const toolCalls = meter.createCounter('canopy.tool.calls', { description: 'Tool calls through the gateway' });
  const requests = meter.createCounter('canopy.mcp.requests', { description: 'Tool calls, prompt gets and resource reads' });
  // The unit is in the name too: the Prometheus serializer does not append it.
  const duration = meter.createHistogram('canopy.tool.call.duration.seconds', {
    description: 'Tool call latency through the gateway',
    unit: 's',
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] },
  });
  const auditWriteFailures = meter.createCounter('canopy.audit.write.failures', {
    description: 'Audit entries a database write could not store (they are kept and retried)',
  });
  const auditDropped = meter.createCounter('canopy.audit.entries.dropped', {
    description: 'Audit entries given up on and written to the log instead',
  });
  meter
    .createObservableGauge('canopy.sessions.open', { description: 'Open downstream MCP sessions' })
    .addCallback((result) => result.observe(options.sources.openSessions()));
  meter
    .createObservableGauge('canopy.upstream.state', { description: 'Upstream connection state: 1 for the current state of each server' })
    .addCallback((result) => {
      for (const { server, status } of options.sources.upstreams()) {
        for (const state of UPSTREAM_STATUSES) result.observe(state === status ? 1 : 0, { server, state });
      }
    });

  const serializer = new PrometheusSerializer();
  return {
    record(call) {
      requests.add(1, { kind: call.kind, server: call.server, client: call.client, outcome: call.outcome });
      if (call.kind !== 'tool') return;
      toolCalls.add(1, { server: call.server, tool: call.name, client: call.client, outcome: call.outcome });
      duration.record(call.durationMs / 1000, { server: call.server, tool: call.name, outcome: call.outcome });
    },
    auditWriteFailed: (entries) => auditWriteFailures.add(entries),
    auditDropped: (entries) => auditDropped.add(entries),
    async prometheusText() {
      const { resourceMetrics } = await prometheus.collect();
      return serializer.serialize(resourceMetrics);
    },
    shutdown: () => provider.shutdown(),
  };
}
