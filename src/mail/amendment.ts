import { formatDate } from '../time/format.ts';
import type { Email } from './email.ts';
import { composeEmail, type EmailBody } from './layout.ts';

/** One answer that an amendment changed, as people read it. */
export interface FieldChange {
  readonly name: string;
  readonly label: string;
  /** The answer before; undefined where no copy of it is kept (the earlier email has it). */
  readonly before: string | undefined;
  readonly after: string;
}

export interface AmendmentNote {
  readonly reference: string;
  /** The new version: 2, 3, … */
  readonly revision: number;
  readonly receivedAt: Date;
  readonly changes: readonly FieldChange[];
  /** The place on a webinar's waiting list the new version got (the session it names was full). */
  readonly waitingList?: number | undefined;
}

/**
 * The team's email about a submission changed after its first version reached them: what changed,
 * old → new per field, under the German labels. Sent instead of the form's team email (whose
 * recipient, Reply-To, note on a withheld confirmation and attachments it keeps), so that the team
 * reads the change once and not a second, almost equal submission.
 */
export function amendmentTeamEmail(full: Email, note: AmendmentNote, notes: readonly string[]): Email {
  const { reference, revision, changes } = note;
  const body: EmailBody = {
    intro: [
      `Die Angaben zu ${reference} wurden über das Formular geändert (Fassung ${revision}, eingegangen am ${formatDate(note.receivedAt)}). Es gilt die neue Fassung; was sich geändert hat:`,
    ],
    rows: changes.map(({ name, label, before, after }) => ({
      name,
      label,
      value: `bisher: ${before ?? '(siehe die frühere E-Mail zu dieser Vorgangsnummer)'}\nneu: ${after}`,
    })),
    outro: [
      'Alle übrigen Angaben sind unverändert.',
      ...(note.waitingList
        ? [`Der gewählte Termin ist ausgebucht: Die Person steht jetzt auf der Warteliste, Platz ${note.waitingList}.`]
        : []),
      ...notes,
      ...(full.attachments?.length ? ['Die vollständige neue Fassung liegt dieser E-Mail als Datei bei.'] : []),
    ],
  };
  return composeEmail({
    to: full.to,
    replyTo: full.replyTo,
    subject: `Änderung zu ${reference}`,
    body,
    ...(full.attachments && { attachments: full.attachments }),
  });
}
