// The one contracts package: every MQTT payload, topic and HTTP body is defined here.
export * from './device-id.ts';
export * from './topics.ts';
export * from './protocol-limits.ts';
export * from './metrics.ts';
export * from './telemetry.schema.ts';
export * from './device-messages.schema.ts';
export * from './judgment.schema.ts';
export * from './http/errors.schema.ts';
export * from './http/auth.schema.ts';
export * from './http/catalogue.schema.ts';
export * from './http/devices.schema.ts';
export * from './http/telemetry-query.schema.ts';
export * from './http/dead-letters.schema.ts';
export * from './catalogue/models.data.ts';
export * from './device-event-codes.ts';
