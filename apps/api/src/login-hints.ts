import type { IdentityConfig } from '@mas/identity';

/** Where the API of this configuration answers on the local machine. */
export function localApiUrl(port: number): string {
  return `http://localhost:${port}/api`;
}

/** The admin's login as a person starting the app needs it; a password set by them is not shown. */
export function adminLogin({ email, password, usesDevelopmentDefault }: IdentityConfig['admin']) {
  return usesDevelopmentDefault
    ? `${email} / ${password} (development default; set ADMIN_PASSWORD)`
    : `${email} (password from ADMIN_PASSWORD)`;
}
