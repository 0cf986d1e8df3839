import type { EmailMessage } from '@mas/persistence';
import { type EmailTemplateData, type EmailTemplateName } from './email-templates.js';

/**
 * An outbox email (`OutboxService.email`, `OutboxEntries.email`) whose data is checked against
 * its template at compile time. With a template chosen at runtime among several, `data` must fit
 * one of them.
 */
export function emailMessage<T extends EmailTemplateName>(
  template: T,
  to: string,
  data: EmailTemplateData[T],
): EmailMessage {
  return { template, to, data };
}
