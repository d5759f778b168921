import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import StatusBadge from './StatusBadge.svelte';
import WeeklyGrid from './WeeklyGrid.svelte';
import ScoreBar from './ScoreBar.svelte';

afterEach(cleanup);

describe('components', () => {
  it('StatusBadge shows the status with its class', () => {
    render(StatusBadge, { status: 'matching' });
    const badge = screen.getByText('matching');
    expect(badge.classList.contains('badge')).toBe(true);
    expect(badge.classList.contains('matching')).toBe(true);
  });

  it('WeeklyGrid shows available hours in the given zone and says which', () => {
    const { container } = render(WeeklyGrid, { hoursUtc: [8, 9, 167], offsetMinutes: 60, zoneName: 'Europe/Berlin' });
    expect(screen.getByTestId('tz-note').textContent).toContain('Europe/Berlin');
    expect(screen.getByTestId('tz-note').textContent).toContain('UTC+01:00');
    expect(screen.getByTestId('tz-note').textContent).toContain('3 available hours');
    const rows = container.querySelectorAll('tbody tr');
    expect(rows).toHaveLength(7);
    const monday = rows[0].querySelectorAll('td');
    expect(monday).toHaveLength(24);
    expect(monday[0].classList.contains('on')).toBe(true); // Sunday 23:00 UTC = Monday 00:00 in Berlin
    expect(monday[9].classList.contains('on')).toBe(true);
    expect(monday[10].classList.contains('on')).toBe(true);
    expect(container.querySelectorAll('td.on')).toHaveLength(3);
  });

  it('ScoreBar labels its value', () => {
    render(ScoreBar, { value: 0.734, label: 'score' });
    expect(screen.getByRole('img', { name: 'score: 0.73' })).toBeTruthy();
  });
});
