import raw from '../../content/settings.json' with { type: 'json' };
import { parseSettings } from './parse.ts';
import type { Settings } from './schema.ts';

/** The site's settings, validated once when the module loads (build time and function cold start). */
export const settings: Settings = parseSettings(raw);
