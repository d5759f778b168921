import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { api, ApiError } from '../lib/api';
import Login from './Login.svelte';

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

async function submit(email: string, password: string) {
  await fireEvent.input(screen.getByLabelText('Work email'), { target: { value: email } });
  await fireEvent.input(screen.getByLabelText('Password'), { target: { value: password } });
  await fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
}

describe('Login page', () => {
  it('asks for both fields before calling the server', async () => {
    const login = vi.spyOn(api, 'login');
    render(Login);
    await fireEvent.click(screen.getByRole('button', { name: 'Log in' }));
    expect(screen.getByText('Enter your work email.')).toBeTruthy();
    expect(screen.getByText('Enter your password.')).toBeTruthy();
    expect(screen.getByLabelText('Work email').getAttribute('aria-invalid')).toBe('true');
    expect(login).not.toHaveBeenCalled();
  });

  it('says how long to wait after too many failed logins (429)', async () => {
    vi.spyOn(api, 'login').mockRejectedValue(
      new ApiError(429, { type: '/problems/too-many-logins', title: 'Too Many Requests', status: 429, detail: 'too many failed logins; try again in 840 seconds' }, 840),
    );
    render(Login);
    await submit('a@b.example', 'wrong');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Please wait 14 minutes');
  });

  it('shows a clear message for a wrong password', async () => {
    vi.spyOn(api, 'login').mockRejectedValue(
      new ApiError(401, { type: '/problems/bad-credentials', title: 'Unauthorized', status: 401, detail: 'wrong email or password' }),
    );
    render(Login);
    await submit('a@b.example', 'wrong');
    expect((await screen.findByRole('alert')).textContent).toContain('email or password is not right');
  });
});
