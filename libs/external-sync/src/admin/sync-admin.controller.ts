import { Controller, Get, HttpCode, HttpStatus, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors } from '@mas/http';
import { SOURCE_NAMES, type SourceName } from '../source/source-name.js';
import { SourceParam } from './source-param.js';
import { SyncStateView } from '../state/sync-state-view.js';
import { SyncRequests } from './sync-requests.js';
import {
  SourceStateResponse,
  SyncRunRequestedResponse,
  SyncStateResponse,
} from './sync-state.response.js';

@ApiTags('admin')
@Authenticated()
@Roles(UserRole.Admin)
@Controller('admin/sync')
export class SyncAdminController {
  constructor(
    private readonly state: SyncStateView,
    private readonly requests: SyncRequests,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Where the Mr. Learn and Mr. Test syncs stand, per resource (admin)' })
  @ApiOkResponse({ type: SyncStateResponse })
  async all(): Promise<SyncStateResponse> {
    const sources = await this.state.all();
    return { sources: sources.map((source) => SourceStateResponse.of(source)) };
  }

  @Post(':source/runs')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiParam({ name: 'source', enum: SOURCE_NAMES })
  @ApiOperation({
    summary: 'Queue a run of one source now (admin); a run already going makes it end without work',
  })
  @ApiAcceptedResponse({ type: SyncRunRequestedResponse })
  @ApiErrors(400, [409, 'the source is off (no URL configured)'])
  async run(
    @CurrentUser() caller: User,
    @SourceParam() source: SourceName,
  ): Promise<SyncRunRequestedResponse> {
    return { source: await this.requests.request(source, caller.id), queued: true };
  }
}
