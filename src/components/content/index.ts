import Aufbewahrungsende from './Aufbewahrungsende.astro';
import Bewerbungsfrist from './Bewerbungsfrist.astro';
import Platzhalter from './Platzhalter.astro';
import Projektleitung from './Projektleitung.astro';
import Teampostfach from './Teampostfach.astro';
import Webinartermine from './Webinartermine.astro';

/** The components editors may use in any content file without importing them. */
export const contentComponents = {
  Aufbewahrungsende,
  Bewerbungsfrist,
  Platzhalter,
  Projektleitung,
  Teampostfach,
  Webinartermine,
};
