import { refusal } from './problem';

const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * CSRF defence for every state-changing route, checked in the route itself: a browser request
 * that changes something must come from a page of this site. Browsers send `Origin` on every
 * POST (and `Sec-Fetch-Site`); a cross-site form, a sandboxed `Origin: null` or a mismatched host
 * is refused. Requests with neither header are not from a browser and carry no ambient session.
 */
export function crossSiteRefusal(request: Request, publicUrl: string): Response | null {
  if (safeMethods.has(request.method)) return null;
  const origin = request.headers.get('origin');
  const fetchSite = request.headers.get('sec-fetch-site');
  if (origin === null) {
    if (fetchSite === null || fetchSite === 'same-origin' || fetchSite === 'none') return null;
    return refuse(`a ${fetchSite} request`);
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    return refuse('an opaque origin');
  }
  const hosts = [
    request.headers.get('x-forwarded-host'),
    request.headers.get('host'),
    new URL(publicUrl).host,
  ].filter((h): h is string => !!h);
  return hosts.includes(originHost) ? null : refuse(`origin ${origin}`);
}

const refuse = (what: string): Response => refusal('FORBIDDEN', `Cross-site request refused (${what})`);
