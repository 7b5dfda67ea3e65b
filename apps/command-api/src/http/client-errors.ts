import type { Socket } from 'node:net';
import { errorBody } from './error-body';

/**
 * Node's HTTP parser refuses some requests before Fastify sees them: headers (the request line
 * included) over 16 KB, or bytes that are not HTTP. They get the `{code, message}` shape too.
 */
export function answerClientError(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, reason, body] =
    error.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', errorBody('headers_too_large', 'The request line and headers together exceed 16 KB')]
      : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', errorBody('request_timeout', 'The request did not arrive in time')]
        : [400, 'Bad Request', errorBody('malformed_request', 'The request is not valid HTTP')];
  const text = JSON.stringify(body);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
    );
  }
  socket.destroy(error);
}
