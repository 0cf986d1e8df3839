import { Body, Controller, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { ApiErrors, ApiPage, UuidParam } from '@mas/http';
import { mapPage, type Page } from '@mas/persistence';
import {
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { Authenticated, CurrentUser, Roles } from '../auth/auth.decorators.js';
import { CreateUserDto, ListUsersQuery, UpdateUserDto } from '../dto/admin-user.dto.js';
import { UserResponse } from '../dto/user.response.js';
import { User } from '../entities/user.entity.js';
import { UserRole } from '../entities/user-role.enum.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@Authenticated()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get('me')
  @ApiOperation({ summary: 'The caller' })
  @ApiOkResponse({ type: UserResponse })
  me(@CurrentUser() user: User): UserResponse {
    return UserResponse.of(user);
  }

  @Get()
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'List users, newest first (admin)' })
  @ApiPage(UserResponse)
  @ApiErrors(400)
  async list(
    @CurrentUser() reader: User,
    @Query() query: ListUsersQuery,
  ): Promise<Page<UserResponse>> {
    const page = await this.users.list(query, reader);
    return mapPage(page, (user) => UserResponse.of(user));
  }

  @Post()
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Create a user with any role (admin)' })
  @ApiCreatedResponse({ type: UserResponse })
  @ApiErrors(400, [409, 'the email is taken'])
  async create(@Body() body: CreateUserDto): Promise<UserResponse> {
    return UserResponse.of(await this.users.create(body));
  }

  @Patch(':id')
  @Roles(UserRole.Admin)
  @ApiOperation({ summary: 'Change role, stage, activity, sales head or name (admin)' })
  @ApiOkResponse({ type: UserResponse })
  @ApiErrors(400, 404, [422, 'an admin deactivating or demoting themselves'])
  async update(
    @UuidParam('id') id: string,
    @Body() body: UpdateUserDto,
    @CurrentUser() actor: User,
  ): Promise<UserResponse> {
    return UserResponse.of(await this.users.update(id, body, actor));
  }

  @Post(':id/revoke-tokens')
  @Roles(UserRole.Admin)
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Revoke every token of a user; their sockets are told (admin)' })
  @ApiNoContentResponse()
  @ApiErrors(400, 404)
  revokeTokens(@UuidParam('id') id: string): Promise<void> {
    return this.users.revokeTokens(id);
  }
}
