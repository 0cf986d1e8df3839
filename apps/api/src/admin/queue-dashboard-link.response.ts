import { ApiProperty } from '@nestjs/swagger';

export class QueueDashboardLinkResponse {
  @ApiProperty({
    format: 'uri',
    description:
      'Opens the queue dashboard in a browser; absolute, from the request host and protocol ' +
      '(behind a proxy: X-Forwarded-Host/-Proto, believed per TRUST_PROXY)',
  })
  url: string;

  @ApiProperty({ format: 'date-time', description: 'the link works once, until then' })
  expiresAt: string;
}
