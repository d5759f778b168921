import { afterEach, describe, expect, it } from 'vitest';
import { cleanup, render, screen } from '@testing-library/svelte';
import StatusBadge from './StatusBadge.svelte';
import WeeklyGrid from './WeeklyGrid.svelte';
import ScoreBar from './ScoreBar.svelte';
import FeedbackCard from './FeedbackCard.svelte';

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

  it('StatusBadge writes statuses with underscores as words', () => {
    render(StatusBadge, { status: 'info_requested' });
    expect(screen.getByText('info requested').classList.contains('info_requested')).toBe(true);
  });

  it('FeedbackCard hides ratings below the minimum and charts them from it', () => {
    render(FeedbackCard, { summary: { count: 2, suppressed: true, minimum: 3 } });
    expect(screen.getByTestId('feedback-card').textContent).toContain('Shown from 3 answers');
    expect(screen.getByTestId('feedback-card').textContent).toContain('2 so far');
    expect(screen.queryByRole('img')).toBeNull();
    cleanup();
    render(FeedbackCard, { summary: { count: 4, suppressed: false, minimum: 3, mean_rating: 4.25, by_rating: [0, 0, 1, 1, 2], from_mentees: 2, from_mentors: 2 } });
    expect(screen.getByText('4.3')).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Ratings: 1 stars 0, 2 stars 0, 3 stars 1, 4 stars 1, 5 stars 2' })).toBeTruthy();
  });
});
