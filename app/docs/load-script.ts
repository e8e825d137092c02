const loading = new Map<string, Promise<void>>();

/**
 * Loads a vendored bundle (served by us from /vendor, never a CDN) once per page. The element
 * carries the request's CSP nonce; being inserted by our own nonce'd code it is also trusted
 * through 'strict-dynamic'.
 */
export function loadScript(src: string, nonce: string | undefined): Promise<void> {
  let promise = loading.get(src);
  if (!promise) {
    promise = new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      if (nonce) script.nonce = nonce;
      script.onload = () => resolve();
      script.onerror = () => {
        loading.delete(src);
        reject(new Error(`could not load ${src}`));
      };
      document.head.appendChild(script);
    });
    loading.set(src, promise);
  }
  return promise;
}
