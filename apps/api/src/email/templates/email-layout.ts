import { escapeHtml } from './escape-html.js';

/** What a template says, as plain strings; the layout turns it into text and escaped HTML. */
export interface EmailBody {
  subject: string;
  greeting: string;
  paragraphs: string[];
  details?: [label: string, value: string][];
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

const SIGNATURE = 'The MAS team';

/** A details row, or none when the value is absent. */
export function detail(label: string, value: string | number | undefined): [string, string][] {
  return value === undefined ? [] : [[label, String(value)]];
}

/** The single place where template data meets HTML: every value is escaped here. */
export function layoutEmail(body: EmailBody): EmailContent {
  const details = body.details ?? [];
  const text = [
    body.greeting,
    '',
    ...body.paragraphs.flatMap((paragraph) => [paragraph, '']),
    ...details.map(([label, value]) => `${label}: ${value}`),
    ...(details.length ? [''] : []),
    SIGNATURE,
  ].join('\n');
  const detailRows = details
    .map(
      ([label, value]) =>
        `<tr><th align="left" style="padding-right:12px">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html = [
    '<!DOCTYPE html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(body.subject)}</title></head>`,
    '<body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escapeHtml(body.greeting)}</p>`,
    ...body.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`),
    detailRows ? `<table>${detailRows}</table>` : '',
    `<p>${escapeHtml(SIGNATURE)}</p>`,
    '</body></html>',
  ].join('\n');
  return { subject: body.subject, text, html };
}
