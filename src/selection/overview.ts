import { applicationFields } from '../forms/application.ts';
import { optionLabel, type Field } from '../forms/fields.ts';
import type { Overview } from '../mail/overview.ts';
import type { KeptApplication } from './kept.ts';

const number = (value: number) => value.toLocaleString('de-DE');

/**
 * The size classes' names for ascending bounds, Destatis style: each bound is the smallest
 * population of the class above it. [20000, 100000] → „unter 20.000", „20.000 bis unter 100.000",
 * „100.000 und mehr".
 */
export function sizeClassLabels(bounds: readonly number[]): string[] {
  return [
    `unter ${number(bounds[0]!)}`,
    ...bounds.slice(1).map((upper, index) => `${number(bounds[index]!)} bis unter ${number(upper)}`),
    `${number(bounds.at(-1)!)} und mehr`,
  ];
}

/** The class of a population: how many bounds it has reached (0 = below the first). */
export function sizeClassOf(population: number, bounds: readonly number[]): number {
  return bounds.filter((bound) => population >= bound).length;
}

const fieldNamed = (name: string): Field => applicationFields.find((field) => field.name === name)!;

/** Counts per option of a choice field, in the form's order, zeros included, so each table is complete. */
function countByOption(applications: readonly KeptApplication[], name: 'state' | 'kind' | 'scope' | 'publication') {
  const field = fieldNamed(name);
  const counts = new Map((field.options ?? []).map((option) => [option.label, 0]));
  for (const { data } of applications) {
    // A value the form no longer offers still counts, under its stored value.
    const label = optionLabel(field, data[name]);
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, count]) => ({ label, count }));
}

/**
 * The figures of an overview of `applications` (all received so far), of which the first
 * `previousTotal` were in the last overview.
 */
export function summarise(
  applications: readonly KeptApplication[],
  previousTotal: number,
  sizeBounds: readonly number[],
): Overview {
  const sizes = sizeClassLabels(sizeBounds).map((label) => ({ label, count: 0 }));
  for (const { data } of applications) sizes[sizeClassOf(data.population, sizeBounds)]!.count += 1;
  return {
    total: applications.length,
    fresh: Math.max(0, applications.length - previousTotal),
    anonymous: applications.filter(({ data }) => data.publication === 'anonymous').length,
    byState: countByOption(applications, 'state'),
    byKind: countByOption(applications, 'kind'),
    bySize: sizes,
    byScope: countByOption(applications, 'scope'),
    byPublication: countByOption(applications, 'publication'),
  };
}
