/**
 * Largest request body the web doors (tRPC, REST) read. The biggest legitimate input (a service
 * area of 2,000 cells, an admin form) is a few tens of KiB; nginx caps at 1 MiB too, but a caller
 * that reaches web directly must not make it buffer more.
 */
export const maxRequestBodyBytes = 1_048_576;

export type BodyCheck = { ok: true; request: Request } | { ok: false; message: string };

const tooLarge = `The request body is larger than ${maxRequestBodyBytes / 1_048_576} MiB`;

/**
 * The request with its body read into memory, at most `maxRequestBodyBytes`; refused early when
 * Content-Length already says more, or as soon as a streamed body passes the limit.
 */
export async function withBoundedBody(request: Request): Promise<BodyCheck> {
  if (!request.body) return { ok: true, request };
  const declared = Number(request.headers.get('content-length'));
  if (declared > maxRequestBodyBytes) {
    await request.body.cancel().catch(() => undefined);
    return { ok: false, message: tooLarge };
  }
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxRequestBodyBytes) {
      await reader.cancel().catch(() => undefined);
      return { ok: false, message: tooLarge };
    }
    chunks.push(value);
  }
  const body = Buffer.concat(chunks);
  const headers = new Headers(request.headers);
  headers.delete('transfer-encoding');
  headers.set('content-length', String(body.byteLength));
  return { ok: true, request: new Request(request.url, { method: request.method, headers, body }) };
}
