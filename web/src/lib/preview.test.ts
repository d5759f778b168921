import { describe, expect, it } from 'vitest';
import { CRITERIA, SAMPLE_PAIR, previewScore } from './preview';

describe('previewScore', () => {
  it('is the weighted mean of the factors that apply', () => {
    const pair = [
      { criterion: 'skills' as const, value: 1, why: '' },
      { criterion: 'goals' as const, value: 0, why: '' },
      { criterion: 'shared_background' as const, value: null, why: '' },
    ];
    // (3·1 + 1·0) / (3 + 1); shared_background is left out of both sums.
    const p = previewScore({ skills: 3, goals: 1, shared_background: 10 }, pair);
    expect(p.score).toBeCloseTo(0.75, 10);
    expect(p.contributions.map((c) => c.criterion)).toEqual(['skills', 'goals']);
    expect(p.contributions[0].share).toBeCloseTo(0.75, 10);
    expect(p.contributions[1].share).toBe(0);
  });

  it('moves with the weights: more weight on a strong factor raises the score', () => {
    const base = previewScore({ skills: 1, communication: 1 });
    const more = previewScore({ skills: 5, communication: 1 });
    expect(more.score!).toBeGreaterThan(base.score!);
  });

  it('contributions add up to the score', () => {
    const weights = Object.fromEntries(CRITERIA.map((c, i) => [c, (i % 4) + 0.5]));
    const p = previewScore(weights);
    const sum = p.contributions.reduce((s, c) => s + c.share, 0);
    expect(sum).toBeCloseTo(p.score!, 10);
    expect(p.score!).toBeGreaterThanOrEqual(0);
    expect(p.score!).toBeLessThanOrEqual(1);
  });

  it('has no score when every weight is 0', () => {
    expect(previewScore({}).score).toBeNull();
  });

  it('uses the traditional defaults of docs/matching.md', () => {
    const traditional = { skills: 3, goals: 2, interests: 1, personality: 1, communication: 0.5, learning: 0.5,
      seniority: 1.5, time_zone: 0.5, availability: 1, location: 0.5, language: 0.5, department: 0.5, mentee_choice: 2, shared_background: 1 };
    let num = 0;
    let den = 0;
    for (const f of SAMPLE_PAIR) {
      if (f.value === null) continue;
      num += traditional[f.criterion] * f.value;
      den += traditional[f.criterion];
    }
    expect(previewScore(traditional).score).toBeCloseTo(num / den, 12);
  });
});
