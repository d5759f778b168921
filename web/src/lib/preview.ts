// The live preview of the "New program" form: how the criteria weights move the score of one
// illustrative pair. The score is the engine's formula (docs/matching.md): the weighted mean
// Σ w·factor ÷ Σ w over the criteria that apply. The factor values below are made up for the
// preview, as a plausible pair would have them; real scores come from people's data.

export const CRITERIA = [
  'skills',
  'goals',
  'interests',
  'learning',
  'personality',
  'communication',
  'seniority',
  'time_zone',
  'availability',
  'location',
  'language',
  'department',
  'mentee_choice',
  'shared_background',
] as const;
export type Criterion = (typeof CRITERIA)[number];
export type WeightMap = Partial<Record<Criterion, number>>;

export const CRITERION_LABELS: Record<Criterion, string> = {
  skills: 'Skills',
  goals: 'Career goals',
  interests: 'Interests',
  learning: 'Learning preferences',
  personality: 'Personality',
  communication: 'Communication style',
  seniority: 'Seniority',
  time_zone: 'Time zone',
  availability: 'Availability overlap',
  location: 'Location',
  language: 'Language',
  department: 'Department',
  mentee_choice: "Mentee's own choice",
  shared_background: 'Shared background',
};

export interface SampleFactor {
  criterion: Criterion;
  /** Factor in [0, 1], or null when the criterion does not apply to this pair. */
  value: number | null;
  why: string;
}

/** The illustrative pair: a mentee and a mentor as the preview describes them. */
export const SAMPLE_PAIR: SampleFactor[] = [
  { criterion: 'skills', value: 0.75, why: 'mentor covers most of the skills the mentee wants' },
  { criterion: 'goals', value: 1, why: 'both aim at people management' },
  { criterion: 'interests', value: 0.33, why: 'one interest of three in common' },
  { criterion: 'learning', value: 0.5, why: 'mentee gave no learning preference (neutral)' },
  { criterion: 'personality', value: 0.8, why: 'fairly similar personalities' },
  { criterion: 'communication', value: 0, why: 'different communication styles' },
  { criterion: 'seniority', value: 1, why: 'mentor is 2 levels ahead' },
  { criterion: 'time_zone', value: 0.5, why: '6 hours apart' },
  { criterion: 'availability', value: 0.67, why: '2 shared hours a week (3 count as full)' },
  { criterion: 'location', value: 0, why: 'different sites' },
  { criterion: 'language', value: 1, why: 'both speak English' },
  { criterion: 'department', value: 1, why: 'different departments' },
  { criterion: 'mentee_choice', value: 0, why: 'mentee did not list this mentor' },
  {
    criterion: 'shared_background',
    value: null,
    why: 'mentee did not ask for a shared background, so it is left out',
  },
];

export interface Contribution {
  criterion: Criterion;
  weight: number;
  factor: number;
  /** weight·factor ÷ Σ weights: this criterion's part of the score. */
  share: number;
}

export interface ScorePreview {
  score: number | null;
  contributions: Contribution[];
}

/** The weighted mean of the factors that apply; null when every applying weight is 0. */
export function previewScore(weights: WeightMap, pair: SampleFactor[] = SAMPLE_PAIR): ScorePreview {
  let sumW = 0;
  let sumWF = 0;
  const applying: { criterion: Criterion; weight: number; factor: number }[] = [];
  for (const f of pair) {
    if (f.value === null) continue;
    const w = Math.max(0, weights[f.criterion] ?? 0);
    sumW += w;
    sumWF += w * f.value;
    applying.push({ criterion: f.criterion, weight: w, factor: f.value });
  }
  if (sumW <= 0) {
    return {
      score: null,
      contributions: applying.map((a) => ({ ...a, share: 0 })),
    };
  }
  const score = Math.min(1, Math.max(0, sumWF / sumW));
  return {
    score,
    contributions: applying.map((a) => ({ ...a, share: (a.weight * a.factor) / sumW })),
  };
}
