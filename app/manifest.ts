import type { MetadataRoute } from 'next';

/** Makes the driver app installable on a phone's home screen. */
export default function manifest(): MetadataRoute.Manifest {
  return {
    name: 'OpenDispatch Driver',
    short_name: 'Driver',
    description: 'Go on duty, stream your position, take trips.',
    start_url: '/driver',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#0f172a',
    theme_color: '#0f172a',
    icons: [
      { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: '/icons/icon-maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  };
}
