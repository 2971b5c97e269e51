import { type Tracer } from "@opentelemetry/api";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  type SpanExporter,
  TraceIdRatioBasedSampler,
} from "@opentelemetry/sdk-trace-base";
import type { TraceSampler, TracingConfig } from "../../config/index.js";
import { createSpanScope, type SpanScope } from "./span-scope.js";

/** A tracer and the scope that carries its spans through async work; see the interceptor and the Okta observer. */
export interface Tracing {
  readonly tracer: Tracer;
  readonly scope: SpanScope;
  /** Exports the spans still queued and stops the exporter; called last on shutdown. */
  shutdown(): Promise<void>;
}

export interface TracingOptions {
  readonly serviceName: string;
  readonly resourceAttributes?: Readonly<Record<string, string>>;
  readonly sampler: TraceSampler;
  readonly exporter: SpanExporter;
  /** Export each span as it ends instead of in batches (tests, with an in-memory exporter). */
  readonly exportEachSpan?: boolean;
}

/** Builds a tracer provider of its own (nothing is registered globally) over `exporter`. */
export function createTracing(options: TracingOptions): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ ...options.resourceAttributes, "service.name": options.serviceName }),
    sampler: samplerOf(options.sampler),
    spanProcessors: [options.exportEachSpan ? new SimpleSpanProcessor(options.exporter) : new BatchSpanProcessor(options.exporter)],
  });
  return {
    tracer: provider.getTracer("okta-connector"),
    scope: createSpanScope(),
    shutdown: () => provider.shutdown(),
  };
}

/** Tracing as OTEL_* configured it: OTLP over HTTP (JSON) to the configured endpoint, in batches. */
export function createTracingFromConfig(config: TracingConfig): Tracing {
  return createTracing({
    serviceName: config.serviceName,
    resourceAttributes: config.resourceAttributes,
    sampler: config.sampler,
    exporter: new OTLPTraceExporter({ url: config.endpoint, headers: { ...config.headers } }),
  });
}

function samplerOf(sampler: TraceSampler): Sampler {
  switch (sampler.kind) {
    case "always_on":
      return new AlwaysOnSampler();
    case "always_off":
      return new AlwaysOffSampler();
    case "traceidratio":
      return new TraceIdRatioBasedSampler(sampler.ratio);
    case "parentbased_always_on":
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case "parentbased_always_off":
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case "parentbased_traceidratio":
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(sampler.ratio) });
  }
}
