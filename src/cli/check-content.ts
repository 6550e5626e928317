// npm run check:content — checks content/ in about a second, without a build; exits 1 on errors.
import { checkContent, report } from '../content/check.ts';

const result = await checkContent(process.cwd(), { production: process.env['CONTEXT'] === 'production' });
const { lines, failed } = report(result);
(failed ? console.error : console.log)(lines.join('\n'));
process.exitCode = failed ? 1 : 0;
