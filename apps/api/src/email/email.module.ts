import { Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { type AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/app-config.token.js';
import { EmailJobHandler } from './email-job.handler.js';
import { LogMailTransport } from './log-mail-transport.js';
import { MAIL_TRANSPORT, type MailTransport } from './mail-transport.js';
import { SmtpMailTransport } from './smtp-mail-transport.js';

/** Rendering and sending of outbox emails: the `email` queue's job handler. */
@Module({
  providers: [
    {
      provide: MAIL_TRANSPORT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig): MailTransport =>
        config.smtpUrl ? new SmtpMailTransport(config.smtpUrl) : new LogMailTransport(),
    },
    EmailJobHandler,
  ],
  exports: [MAIL_TRANSPORT],
})
export class EmailModule implements OnApplicationShutdown {
  constructor(@Inject(MAIL_TRANSPORT) private readonly transport: MailTransport) {}

  onApplicationShutdown(): void {
    this.transport.close();
  }
}
