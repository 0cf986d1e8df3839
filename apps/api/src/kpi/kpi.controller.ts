import { Controller, Get, NotFoundException, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles, User, UserRole } from '@mas/identity';
import { ApiErrors } from '@mas/http';
import { KpiSnapshotResponse } from './kpi-snapshot.response.js';
import { KpiService } from './kpi.service.js';

@ApiTags('kpi')
@Authenticated()
@Controller('kpi')
export class KpiController {
  constructor(private readonly kpi: KpiService) {}

  @Get('latest')
  @Roles(UserRole.Admin, UserRole.SalesHead)
  @ApiOperation({ summary: 'The newest KPI snapshot (admin, sales_head)' })
  @ApiOkResponse({ type: KpiSnapshotResponse })
  @ApiErrors([404, 'no snapshot has been computed yet'])
  async latest(@CurrentUser() reader: User): Promise<KpiSnapshotResponse> {
    const snapshot = await this.kpi.latest(reader.id);
    if (!snapshot) throw new NotFoundException('no KPI snapshot has been computed yet');
    return KpiSnapshotResponse.of(snapshot);
  }

  @Post('refresh')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Compute and store a KPI snapshot now (admin)' })
  @ApiCreatedResponse({ type: KpiSnapshotResponse })
  async refresh(): Promise<KpiSnapshotResponse> {
    return KpiSnapshotResponse.of(await this.kpi.computeSnapshot());
  }
}
