import { Body, Controller, Get, Param, ParseUUIDPipe, Patch, Post, Query } from '@nestjs/common';
import { mapPage } from '@mas/persistence';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.decorators.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from '../dto/admin-user.dto.js';
import { UserPageResponse, UserResponse } from '../dto/user.response.js';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller' })
  me(@CurrentUser() user: User): UserResponse {
    return UserResponse.of(user);
  }

  @Get()
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'List users, newest first (admin)' })
  async list(@Query() query: ListUsersQuery): Promise<UserPageResponse> {
    const page = await this.users.list(query);
    return mapPage(page, (user) => UserResponse.of(user));
  }

  @Post()
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Create a user with any role (admin)' })
  async create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.users.create(body));
  }

  @Patch(':id')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Change role, stage, activity, sales head or name (admin)' })
  async update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UserResponse> {
    return UserResponse.of(await this.users.update(id, body));
  }
}
