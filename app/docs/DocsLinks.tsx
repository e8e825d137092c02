import './api-docs.css';
import Link from 'next/link';

/** The two renderings of one document, and the document itself. */
export function DocsLinks({ current }: { current: 'swagger' | 'redoc' }) {
  return (
    <nav className="api-docs-links" aria-label="API reference">
      <strong>API reference</strong>
      {current === 'swagger' ? <span>Swagger UI</span> : <Link href="/docs">Swagger UI</Link>}
      {current === 'redoc' ? <span>ReDoc</span> : <Link href="/redoc">ReDoc</Link>}
      <a href="/api/openapi.json">openapi.json</a>
    </nav>
  );
}
