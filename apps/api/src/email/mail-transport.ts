export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Where rendered emails go: SMTP when SMTP_URL is set, the log otherwise. */
export interface MailTransport {
  readonly kind: 'smtp' | 'log';
  /** Resolves once the server accepted the message; rejects otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

export const MAIL_TRANSPORT = Symbol('MAIL_TRANSPORT');
