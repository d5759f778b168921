import { api, type Session } from './api';

/** The logged-in session (null when logged out); `ready` once the first GET /session answered. */
export const auth = $state<{ session: Session | null; ready: boolean }>({ session: null, ready: false });

export async function loadSession(): Promise<void> {
  try {
    auth.session = await api.session();
  } catch {
    auth.session = null;
  } finally {
    auth.ready = true;
  }
}

export async function logout(): Promise<void> {
  try {
    await api.logout();
  } catch {
    // The session may have ended already; the page forgets it either way.
  }
  api.setCsrfToken(null);
  auth.session = null;
}
