import { describe, expect, it } from 'vitest';
import { packageOf } from '../bench/functions.ts';
import { median, percentile } from '../bench/stats.ts';

describe('bench timings', () => {
  it('takes the nearest-rank percentile, always a measured value', () => {
    const hundred = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect(percentile(hundred, 50)).toBe(50);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(hundred, 100)).toBe(100);
    expect(percentile([3, 1, 2], 50)).toBe(2);
    expect(percentile([7], 99)).toBe(7);
  });

  it('takes the middle value as median, and the mean of the two middle ones for an even count', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses no values and a percentile outside (0, 100]', () => {
    expect(() => median([])).toThrow('No values');
    expect(() => percentile([1], 0)).toThrow('(0, 100]');
    expect(() => percentile([1], 101)).toThrow('(0, 100]');
  });
});

describe('bench bundle weights', () => {
  it('names the package of a bundle input, scoped and nested ones included, and none for our own files', () => {
    expect(packageOf('node_modules/zod/v4/core/schemas.js')).toBe('zod');
    expect(packageOf('node_modules/@netlify/blobs/dist/main.js')).toBe('@netlify/blobs');
    expect(packageOf('node_modules/resend/node_modules/postal-mime/src/postal-mime.js')).toBe('postal-mime');
    expect(packageOf('../../work/main/node_modules/negotiator/index.js')).toBe('negotiator');
    expect(packageOf('src/forms/application.ts')).toBeUndefined();
    expect(packageOf('content/settings.json')).toBeUndefined();
  });
});
