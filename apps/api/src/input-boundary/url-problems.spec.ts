import { urlProblems } from './url-problems.js';

describe('urlProblems', () => {
  it('accepts ordinary paths and queries, encoded UTF-8 and + for spaces included', () => {
    expect(urlProblems('/api/users/0b8c3f6e-2d1a-4f7e-9c1b-3a2d4e5f6a7b')).toEqual([]);
    expect(urlProblems('/api/lms/colleges?q=St+Xavier%27s&limit=5&q=%F0%9F%98%80&flag')).toEqual(
      [],
    );
  });

  it('refuses malformed escapes in the path, including an encoded lone surrogate', () => {
    for (const segment of ['%ZZ', '%', '%E0%A4%A', '%ED%A0%80', '%C0%AF']) {
      expect(urlProblems(`/api/users/${segment}`)).toEqual([
        { field: 'path', message: 'has a malformed percent-escape' },
      ]);
    }
  });

  it('refuses a decoded NUL in the path', () => {
    expect(urlProblems('/api/crm/leads/a%00b')).toEqual([
      { field: 'path', message: 'must not contain NUL characters' },
    ]);
  });

  it('names the query parameter with a NUL or a malformed escape, in its name or its value', () => {
    expect(urlProblems('/api/users?limit=5&q=a%00b&cursor=%E0%A4%A&x%00=1&%ZZ=2')).toEqual([
      { field: 'q', message: 'must not contain NUL characters' },
      { field: 'cursor', message: 'has a malformed percent-escape' },
      { field: 'x\\u0000', message: 'name must not contain NUL characters' },
      { field: 'query', message: 'has a malformed percent-escape' },
    ]);
  });
});
