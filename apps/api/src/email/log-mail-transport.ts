import { Logger } from '@nestjs/common';
import { type MailTransport, type OutgoingMail } from './mail-transport.js';

/** Without SMTP_URL (development, tests) emails are written to the log instead of sent. */
export class LogMailTransport implements MailTransport {
  readonly kind = 'log';
  private readonly logger = new Logger('Email');

  send(mail: OutgoingMail): Promise<void> {
    this.logger.log(
      `email (log transport, SMTP_URL unset) to ${mail.to}: "${mail.subject}"\n${mail.text}`,
    );
    return Promise.resolve();
  }

  close(): void {}
}
