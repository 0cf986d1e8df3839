import bcrypt from 'bcryptjs';
import { hashPassword, needsRehash, scryptParams, verifyPassword } from './password-hasher.js';

describe('password hasher (scrypt)', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const hash = await hashPassword('correct horse');
    expect(hash).toMatch(/^scrypt\$131072\$8\$1\$/);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword('correct horse', hash)).resolves.toBe(true);
    await expect(verifyPassword('correct horsE', hash)).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hashPassword('same')).not.toBe(await hashPassword('same'));
  });

  it('rejects malformed stored values instead of throwing', async () => {
    await expect(verifyPassword('x', 'plaintext')).resolves.toBe(false);
  });

  it('verifies bcrypt hashes from the old backend ($2a$, $2b$, $2y$) and marks them for rehash', async () => {
    const legacy = await bcrypt.hash('old password', 10);
    for (const prefix of ['$2a$', '$2b$', '$2y$']) {
      const stored = prefix + legacy.slice(4);
      await expect(verifyPassword('old password', stored)).resolves.toBe(true);
      await expect(verifyPassword('old passworD', stored)).resolves.toBe(false);
      expect(needsRehash(stored)).toBe(true);
    }
    expect(needsRehash(await hashPassword('x'))).toBe(false);
    expect(needsRehash('$2b$10$short')).toBe(false);
  });

  it('marks a hash made at a lower cost for rehash once the cost is raised, never the other way', async () => {
    const cheap = await hashPassword('pw', scryptParams(12));
    expect(cheap).toMatch(/^scrypt\$4096\$8\$1\$/);
    await expect(verifyPassword('pw', cheap)).resolves.toBe(true);
    expect(needsRehash(cheap)).toBe(true);
    expect(needsRehash(cheap, scryptParams(12))).toBe(false);
    expect(needsRehash(await hashPassword('pw'), scryptParams(12))).toBe(false);
  });
});
