import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { ErrorBody } from '@airfleet/contracts';
import { isPoolExhausted, isStatementTimeout } from '../db/pg-errors.ts';
import { codeForStatus, isCatalogued, ValidationFailedError, type ErrorDetail } from './errors.catalogue.ts';

/** Retry-After of the load answers (a cancelled statement, no free connection): a few seconds. */
const LOAD_RETRY_AFTER_S = 5;

/**
 * One error handler for the whole app (docs/architecture.md §7): every body matches
 * `errorBodySchema` and carries the request id, so a user's screenshot can be matched
 * to a log line. 4xx echo a clear message; 5xx answer generically and log the cause,
 * because a driver's or SQL message can leak schema details.
 */
export const errorHandlerPlugin = fp(
  async (app) => {
    app.setErrorHandler((err: FastifyError, request, reply) => {
      const body = toErrorBody(err, request);
      if (body.code === 'QUERY_TIMEOUT' || (body.code === 'UNAVAILABLE' && isPoolExhausted(err))) {
        // Load, not a bug: logged without a stack, and the client is told when to come back.
        request.log.warn({ code: body.code, statusCode: body.statusCode, err: err.message }, 'request shed');
        reply.header('retry-after', String(LOAD_RETRY_AFTER_S));
      } else if (body.statusCode >= 500) {
        request.log.error({ err, code: body.code }, 'request failed');
      } else {
        request.log.info({ code: body.code, statusCode: body.statusCode, msg: body.message }, 'request refused');
      }
      return sendError(reply, body);
    });

    app.setNotFoundHandler((request, reply) => {
      // Path only: echoing the query string would reflect arbitrary client input.
      const path = request.url.split('?')[0] ?? '';
      return sendError(reply, {
        statusCode: 404,
        code: 'NOT_FOUND',
        message: `route ${request.method} ${path} not found`,
        requestId: request.id,
      });
    });
  },
  { name: 'airfleet-errors', fastify: '5.x' },
);

function sendError(reply: FastifyReply, body: ErrorBody): FastifyReply {
  if (body.code === 'UNAUTHENTICATED') reply.header('www-authenticate', 'Cookie realm="airfleet"');
  return reply.status(body.statusCode).send(body);
}

export function toErrorBody(err: FastifyError, request: FastifyRequest): ErrorBody {
  const requestId = request.id;
  // Schema validation (the zod validator compiler reports issues in `err.validation`).
  if (Array.isArray(err.validation) && err.validation.length > 0) {
    const where = err.validationContext ?? 'request';
    const details: ErrorDetail[] = err.validation.map((issue) => ({
      path: [where, ...issue.instancePath.split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'invalid',
    }));
    return { statusCode: 400, code: 'VALIDATION_FAILED', message: `invalid ${where}`, requestId, details };
  }
  if (err instanceof ValidationFailedError) {
    return { statusCode: 400, code: 'VALIDATION_FAILED', message: err.message, requestId, details: err.details };
  }
  // A statement the API pool's statement_timeout cancelled, or no API connection free in time:
  // the database protecting itself, answered as such (never a 500 with a driver's message).
  if (isStatementTimeout(err)) {
    return { statusCode: 503, code: 'QUERY_TIMEOUT', message: 'the database took too long to answer this request; retry later or ask for less (e.g. a shorter range)', requestId };
  }
  if (isPoolExhausted(err)) {
    return { statusCode: 503, code: 'UNAVAILABLE', message: 'the database is busy; retry later', requestId };
  }
  const statusCode = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
  if (statusCode >= 500 && !(statusCode === 503 && (err.code === 'UNAVAILABLE' || err.code === 'QUERY_TIMEOUT'))) {
    return { statusCode: 500, code: 'INTERNAL', message: 'internal server error', requestId };
  }
  const code = isCatalogued(err.code) ? err.code : codeForStatus(statusCode);
  return { statusCode, code, message: err.message, requestId };
}
