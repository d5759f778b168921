// Hash routing: #/programs/1 -> path "/programs/1". Works from any URL the server serves.
export const route = $state({ path: currentPath() });

function currentPath(): string {
  if (typeof location === 'undefined') return '/';
  const p = location.hash.replace(/^#/, '');
  return p.startsWith('/') ? p : '/';
}

if (typeof window !== 'undefined') {
  window.addEventListener('hashchange', () => {
    route.path = currentPath();
  });
}

export function navigate(path: string): void {
  const target = path.startsWith('#') ? path : `#${path}`;
  if (location.hash === target) route.path = currentPath();
  else location.hash = target;
}

/** Matches "/programs/:id" against a path; the parameters, or null. */
export function matchRoute(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('?')[0].split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(got[i]);
    else if (want[i] !== got[i]) return null;
  }
  return params;
}
