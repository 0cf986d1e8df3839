import { BadRequestException, Controller, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrors } from '@mas/http';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import type { Request } from 'express';
import { QueueDashboardLinkResponse } from './queue-dashboard-link.response.js';
import {
  DASHBOARD_SESSION_TTL_SECONDS,
  DASHBOARD_TICKET_TTL_SECONDS,
  QueueDashboardAccess,
} from './queue-dashboard-access.js';
import { QUEUE_DASHBOARD_PATH } from './queue-dashboard-path.js';

@ApiTags('admin')
@Authenticated()
@Controller('admin/queues/links')
export class QueueDashboardLinksController {
  constructor(private readonly access: QueueDashboardAccess) {}

  @Post()
  @Roles(UserRole.Admin)
  @ApiOperation({
    summary: 'A one-time link that opens the queue dashboard in a browser (admin)',
    description:
      `The link's ticket works once, for ${DASHBOARD_TICKET_TTL_SECONDS} seconds. Opening it ` +
      `sets a dashboard session cookie (${DASHBOARD_SESSION_TTL_SECONDS / 60} minutes, sent ` +
      `only to ${QUEUE_DASHBOARD_PATH}) and redirects (303) to the dashboard.`,
  })
  @ApiCreatedResponse({ type: QueueDashboardLinkResponse })
  @ApiErrors([400, 'the Host header is not a valid host'])
  async create(
    @CurrentUser() admin: User,
    @Req() request: Request,
  ): Promise<QueueDashboardLinkResponse> {
    const origin = originOf(request);
    const ticket = await this.access.issueTicket(admin);
    const url = new URL(QUEUE_DASHBOARD_PATH, origin);
    url.searchParams.set('ticket', ticket.token);
    return { url: url.toString(), expiresAt: ticket.expiresAt.toISOString() };
  }
}

/** Where the caller reached the API, so the link works from their side of any proxy. */
function originOf(request: Request): string {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    throw new BadRequestException('the Host header is not a valid host');
  }
}
