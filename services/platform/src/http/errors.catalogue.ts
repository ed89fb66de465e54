import createError from '@fastify/error';

/**
 * The one catalogue of HTTP error codes. Codes are stable API: clients (the dashboard,
 * integrators) switch on `code`, never on `message`. Add codes; never rename one.
 * Every error body is `errorBodySchema` from @airfleet/contracts.
 */
export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'BAD_REQUEST',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'NOT_FOUND',
  'DEVICE_EXISTS',
  'SERIAL_EXISTS',
  'PAYLOAD_TOO_LARGE',
  'UNSUPPORTED_MEDIA_TYPE',
  'UNKNOWN_MODEL',
  'UNKNOWN_SITE',
  'RESERVED_DEVICE_ID',
  'RATE_LIMITED',
  'INTERNAL',
  'UNAVAILABLE',
  'INVALID_TRANSITION',
  'WORK_ORDER_EXISTS',
  'UNKNOWN_TECHNICIAN',
  'NOT_RETRYABLE',
  'UNKNOWN_CUSTOMER',
  'QUERY_TIMEOUT',
  'REPORT_BUSY',
  'RANGE_TOO_LONG',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  path: string;
  message: string;
}

/** `details` is echoed for VALIDATION_FAILED only. */
const ValidationFailedBase = createError<'VALIDATION_FAILED', 400, [string]>('VALIDATION_FAILED', '%s', 400);
export class ValidationFailedError extends ValidationFailedBase {
  details: ErrorDetail[];
  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.details = details;
  }
}

export const BadRequestError = createError<'BAD_REQUEST', 400, [string]>('BAD_REQUEST', '%s', 400);
export const UnauthenticatedError = createError<'UNAUTHENTICATED', 401, [string?]>('UNAUTHENTICATED', '%s', 401);
export const ForbiddenError = createError<'FORBIDDEN', 403, [string?]>('FORBIDDEN', '%s', 403);
/** Also what a customer gets for another customer's resource (OWASP API1: do not confirm it exists). */
export const NotFoundError = createError<'NOT_FOUND', 404, [string]>('NOT_FOUND', '%s not found', 404);
export const DeviceExistsError = createError<'DEVICE_EXISTS', 409, [string]>('DEVICE_EXISTS', 'device %s already exists', 409);
export const SerialExistsError = createError<'SERIAL_EXISTS', 409, [string]>('SERIAL_EXISTS', 'serial %s is already used by another device', 409);
export const PayloadTooLargeError = createError<'PAYLOAD_TOO_LARGE', 413, [string]>('PAYLOAD_TOO_LARGE', '%s', 413);
export const UnsupportedMediaTypeError = createError<'UNSUPPORTED_MEDIA_TYPE', 415, [string]>('UNSUPPORTED_MEDIA_TYPE', '%s', 415);
export const UnknownModelError = createError<'UNKNOWN_MODEL', 422, [string]>('UNKNOWN_MODEL', 'unknown compressor model %s', 422);
export const UnknownSiteError = createError<'UNKNOWN_SITE', 422, [string]>('UNKNOWN_SITE', 'unknown site %s', 422);
export const ReservedDeviceIdError = createError<'RESERVED_DEVICE_ID', 422, [string]>(
  'RESERVED_DEVICE_ID',
  'device id %s is reserved',
  422,
);
export const RateLimitedError = createError<'RATE_LIMITED', 429, [string]>('RATE_LIMITED', 'too many requests, retry in %s', 429);
export const InternalError = createError<'INTERNAL', 500, []>('INTERNAL', 'internal server error', 500);
export const UnavailableError = createError<'UNAVAILABLE', 503, [string]>('UNAVAILABLE', '%s', 503);
/** Work orders and requests: the lifecycle does not allow this step from the current status. */
export const InvalidTransitionError = createError<'INVALID_TRANSITION', 409, [string]>('INVALID_TRANSITION', '%s', 409);
/** An inbox item already has a live work order (its id is in the message). */
export const WorkOrderExistsError = createError<'WORK_ORDER_EXISTS', 409, [string]>('WORK_ORDER_EXISTS', '%s', 409);
export const UnknownTechnicianError = createError<'UNKNOWN_TECHNICIAN', 422, [string]>('UNKNOWN_TECHNICIAN', 'user %s is not a service technician', 422);
/** Notifications: only failed, dead or skipped deliveries can be retried. */
export const NotRetryableError = createError<'NOT_RETRYABLE', 409, [string]>('NOT_RETRYABLE', '%s', 409);
export const UnknownCustomerError = createError<'UNKNOWN_CUSTOMER', 422, [string]>('UNKNOWN_CUSTOMER', 'unknown customer %s', 422);

/**
 * A statement of this request ran longer than the API pool's statement_timeout and PostgreSQL
 * cancelled it; nothing was changed. Retry later or ask for less (a shorter range).
 */
export const QueryTimeoutError = createError<'QUERY_TIMEOUT', 503, [string]>('QUERY_TIMEOUT', '%s', 503);
/** The user already has as many report computations running as allowed; Retry-After says when to ask again. */
export const ReportBusyError = createError<'REPORT_BUSY', 429, [string]>('REPORT_BUSY', '%s', 429);
/** A report range longer than its granularity allows (the message names the limit). */
export const RangeTooLongError = createError<'RANGE_TOO_LONG', 400, [string]>('RANGE_TOO_LONG', '%s', 400);

const CODES = new Set<string>(ERROR_CODES);
export function isCatalogued(code: unknown): code is ErrorCode {
  return typeof code === 'string' && CODES.has(code);
}

/**
 * Fastify's own 4xx errors (bad JSON, wrong content type, body limit) carry FST_ERR_* codes.
 * They are mapped by status so clients only ever see catalogue codes.
 */
export function codeForStatus(statusCode: number): ErrorCode {
  switch (statusCode) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE';
    case 429:
      return 'RATE_LIMITED';
    case 503:
      return 'UNAVAILABLE';
    default:
      return statusCode >= 500 ? 'INTERNAL' : 'BAD_REQUEST';
  }
}
