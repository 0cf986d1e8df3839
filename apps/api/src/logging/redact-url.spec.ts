import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it('replaces the ticket value, keeping the path and the other parameters', () => {
    expect(redactUrl('/api/admin/queues?ticket=eyJ.abc.def&x=1')).toBe(
      '/api/admin/queues?ticket=[redacted]&x=1',
    );
    expect(redactUrl('/api/admin/queues?x=1&ticket=a&ticket=b')).toBe(
      '/api/admin/queues?x=1&ticket=[redacted]&ticket=[redacted]',
    );
  });

  it('redacts a percent-encoded name as the query parser reads it', () => {
    expect(redactUrl('/q?ti%63ket=secret')).toBe('/q?ti%63ket=[redacted]');
  });

  it('leaves URLs without a secret parameter, and undecodable names, as they are', () => {
    expect(redactUrl('/api/users?limit=2')).toBe('/api/users?limit=2');
    expect(redactUrl('/api/health')).toBe('/api/health');
    expect(redactUrl('/q?%E0%A4%A=1&tickets=2')).toBe('/q?%E0%A4%A=1&tickets=2');
  });
});
