import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError, isUnsafe } from './api';

function jsonResponse(status: number, body: unknown, type = 'application/json', headers: Record<string, string> = {}) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': type, ...headers } });
}

const session = {
  account: { id: 2, email: 'c@x', display_name: 'C', employee_id: null, roles: [], created_at: '2026-01-01T00:00:00Z' },
  csrf_token: 'tok-123',
};

describe('ApiClient', () => {
  it('sends X-CSRF-Token on unsafe methods only, after login', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const fetchMock = vi.fn(async (url: string, init: RequestInit) => {
      calls.push({ url, init });
      if (url.endsWith('/api/v1/session') && init.method === 'POST') return jsonResponse(200, session);
      if (init.method === 'DELETE') return new Response(null, { status: 204 });
      return jsonResponse(200, { items: [], next_cursor: null });
    });
    const client = new ApiClient('', fetchMock);
    await client.login('c@x', 'pw');
    await client.listPrograms();
    await client.startRun(1).catch(() => undefined);
    await client.importPeople('id,name\n', 'preview');
    await client.logout();

    const headers = (i: number) => calls[i].init.headers as Record<string, string>;
    expect(headers(0)['X-CSRF-Token']).toBeUndefined(); // login: no token yet
    expect(headers(1)['X-CSRF-Token']).toBeUndefined(); // GET
    expect(headers(2)['X-CSRF-Token']).toBe('tok-123'); // POST
    expect(headers(3)['X-CSRF-Token']).toBe('tok-123');
    expect(headers(3)['Content-Type']).toBe('text/csv');
    expect(calls[3].url).toBe('/api/v1/people/import?mode=preview');
    expect(headers(4)['X-CSRF-Token']).toBe('tok-123'); // DELETE
    expect(client.csrf).toBeNull();
    for (const c of calls) expect(c.init.credentials).toBe('same-origin');
  });

  it('takes the CSRF token from GET /session too', async () => {
    const client = new ApiClient('', async () => jsonResponse(200, session));
    await client.session();
    expect(client.csrf).toBe('tok-123');
  });

  it('turns problem+json into an ApiError with field messages', async () => {
    const problem = {
      type: '/problems/validation',
      title: 'The request has invalid fields',
      status: 422,
      detail: 'name: required',
      errors: [
        { field: 'name', reason: 'required' },
        { field: 'config', reason: 'weights.skills: must be a number in [0, 10]' },
      ],
    };
    const client = new ApiClient('', async () => jsonResponse(422, problem, 'application/problem+json'));
    const err = await client.createProgram({ name: '' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.status).toBe(422);
    expect(e.message).toBe('name: required');
    expect(e.fieldErrors).toEqual({ name: 'required', config: 'weights.skills: must be a number in [0, 10]' });
  });

  it('reads Retry-After on 429', async () => {
    const client = new ApiClient('', async () =>
      jsonResponse(429, { type: '/problems/too-many-logins', title: 'Too Many Requests', status: 429, detail: 'wait' }, 'application/problem+json', { 'Retry-After': '840' }),
    );
    const e = (await client.login('a@b', 'x').catch((x: unknown) => x)) as ApiError;
    expect(e.status).toBe(429);
    expect(e.retryAfter).toBe(840);
  });

  it('reports a network failure as status 0', async () => {
    const client = new ApiClient('', async () => {
      throw new TypeError('Failed to fetch');
    });
    const e = (await client.health().catch((x: unknown) => x)) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect(e.status).toBe(0);
  });

  it('classifies methods', () => {
    expect(isUnsafe('GET')).toBe(false);
    expect(isUnsafe('head')).toBe(false);
    expect(isUnsafe('POST')).toBe(true);
    expect(isUnsafe('PATCH')).toBe(true);
    expect(isUnsafe('DELETE')).toBe(true);
  });
});
