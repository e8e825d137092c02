import type { IncomingMessage } from 'node:http';
import { maxRequestBodyBytes } from './body-limit';

/**
 * A Node request as a fetch `Request` for the door's handlers. Like tRPC's
 * `incomingMessageToRequest`, except for what happens when a handler stops reading the body (the
 * body cap, server/web/body-limit.ts): tRPC's destroys the socket, so the caller would see a reset
 * instead of the 413; here the rest of the body is drained and discarded, and the answer goes out.
 * Past the cap the stream ends (the reader has seen more than the cap, so it refuses), and what
 * follows is discarded: a body nobody reads (a 405) is never buffered beyond the cap either.
 */
export function requestOf(req: IncomingMessage): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith(':') || value === undefined) continue;
    if (Array.isArray(value)) for (const item of value) headers.append(name, item);
    else headers.append(name, value);
  }
  const url = `http://${req.headers.host ?? 'localhost'}${req.url ?? '/'}`;
  const method = req.method ?? 'GET';
  if (method === 'GET' || method === 'HEAD') return new Request(url, { method, headers });
  return new Request(url, { method, headers, body: bodyOf(req), duplex: 'half' } as RequestInit);
}

function bodyOf(req: IncomingMessage): ReadableStream<Uint8Array> {
  let onData: (chunk: Buffer) => void;
  let onEnd: () => void;
  let onError: (error: Error) => void;
  const detach = () => {
    req.off('data', onData);
    req.off('end', onEnd);
    req.off('error', onError);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let size = 0;
      onData = (chunk) => {
        size += chunk.byteLength;
        controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
        if (size > maxRequestBodyBytes) {
          detach();
          req.resume();
          controller.close();
        }
      };
      onEnd = () => {
        detach();
        controller.close();
      };
      onError = (error) => {
        detach();
        controller.error(error);
      };
      req.on('data', onData);
      req.on('end', onEnd);
      req.on('error', onError);
    },
    cancel() {
      detach();
      req.resume();
    },
  });
}
