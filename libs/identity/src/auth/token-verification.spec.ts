import { jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { TokenService } from './token.service.js';

/** Signature and claim checks only: `verify` reads no user, so the user services are not built. */
describe('TokenService.verify', () => {
  const jwt = new JwtService({ secret: 'a-test-secret-of-enough-length-0123456789' });
  const tokens = new TokenService(jwt, undefined as never, undefined as never);
  const now = Date.now();
  const sign = (claims: Record<string, unknown>) =>
    jwt.sign({ sub: 'u1', role: 'student', ver: 0, ...claims });

  afterEach(() => jest.restoreAllMocks());

  it('checks a signature once, then answers from the verified tokens until the token expires', async () => {
    const token = sign({ exp: Math.floor(now / 1000) + 60 });
    const checks = jest.spyOn(jwt, 'verifyAsync');
    expect(await tokens.verify(token)).toMatchObject({ sub: 'u1', ver: 0 });
    expect(await tokens.verify(token)).toMatchObject({ sub: 'u1', ver: 0 });
    expect(checks).toHaveBeenCalledTimes(1);

    jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    expect(await tokens.verify(token)).toBeNull();
  });

  it('refuses a token whose signature differs from one already verified', async () => {
    const token = sign({ exp: Math.floor(now / 1000) + 60 });
    expect(await tokens.verify(token)).not.toBeNull();
    const at = token.length - 10;
    const forged = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    expect(await tokens.verify(forged)).toBeNull();
    const other = new JwtService({ secret: 'another-secret-of-enough-length-987654321' });
    expect(
      await tokens.verify(other.sign({ sub: 'u1', role: 'admin', ver: 0, exp: 2e9 })),
    ).toBeNull();
  });

  it('does not remember a malformed token as verified', async () => {
    const token = sign({ exp: Math.floor(now / 1000) + 60, aud: 'queue-dashboard' });
    const checks = jest.spyOn(jwt, 'verifyAsync');
    expect(await tokens.verify(token)).toBeNull();
    expect(await tokens.verify(token)).toBeNull();
    expect(checks).toHaveBeenCalledTimes(2);
  });
});
